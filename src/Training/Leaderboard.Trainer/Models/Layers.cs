global using Leaderboard.Torch.Modules;
using static Leaderboard.Torch.torch;

namespace Leaderboard.Trainer.Models;

/// <summary>
/// The binding's layers with timm's ViT initialisation (<c>init_weights_vit_timm</c>): Linear weights truncated normal
/// std .02 (cut at ±2), biases 0; LayerNorm eps 1e-6 (timm's ViT), weight 1, bias 0; Conv2d and BatchNorm2d keep
/// PyTorch's defaults (timm does not re-initialise them).
/// </summary>
public static class Layers
{
    public static Linear Linear(int input, int output, bool bias = true)
    {
        var l = nn.Linear(input, output, bias);
        nn.init.trunc_normal_(l.weight, std: 0.02);
        if (l.bias is not null) nn.init.zeros_(l.bias);
        return l;
    }

    public static LayerNorm LayerNorm(int width, double eps = 1e-6) => nn.LayerNorm(width, eps);

    public static Conv2d Conv2d(int input, int output, int kernel, int stride = 1, int padding = 0, int groups = 1, bool bias = true) =>
        nn.Conv2d(input, output, kernel, stride, padding, groups: groups, hasBias: bias);

    public static BatchNorm2d BatchNorm2d(int features) => nn.BatchNorm2d(features);
}

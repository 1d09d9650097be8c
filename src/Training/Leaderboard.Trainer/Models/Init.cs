using Leaderboard.Torch;
using static Leaderboard.Torch.torch;

namespace Leaderboard.Trainer.Models;

/// <summary>
/// Weight initialisation as timm's ViT (<c>init_weights_vit_timm</c>): Linear weights truncated normal std .02 (cut
/// at ±2, absolute, as timm's <c>trunc_normal_</c>), biases 0; LayerNorm 1 / 0; convolutions keep PyTorch's default
/// (kaiming-uniform, a = √5: U(±1/√fan_in) for weight and bias).
/// </summary>
public static class Init
{
    public static void TruncNormal(Tensor t, double std = 0.02)
    {
        using var ng = no_grad();
        using var scope = NewDisposeScope();
        using var r = randn(t.shape, t.dtype, t.device);
        r.mul_(std).clamp_(-2, 2);
        t.copy_(r);
    }

    public static void Normal(Tensor t, double std)
    {
        using var ng = no_grad();
        using var scope = NewDisposeScope();
        using var r = randn(t.shape, t.dtype, t.device);
        t.copy_(r.mul_(std));
    }

    public static void Uniform(Tensor t, double bound)
    {
        using var ng = no_grad();
        using var scope = NewDisposeScope();
        using var r = rand(t.shape, t.dtype, t.device);
        t.copy_(r.mul_(2 * bound).sub_(bound));
    }

    public static void Constant(Tensor t, double value)
    {
        using var ng = no_grad();
        t.fill_(value);
    }

    /// <summary>A new parameter of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static nn.Parameter Parameter(long[] shape, double value = 0)
    {
        using var data = full(shape, value);
        return new nn.Parameter(data);
    }
}

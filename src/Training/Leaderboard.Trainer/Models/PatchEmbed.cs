
namespace Leaderboard.Trainer.Models;

/// <summary>ViT patch embedding (Dosovitskiy et al. 2021): a p×p convolution with stride p, image [B, 3, H, W] →
/// tokens [B, (H/p)·(W/p), D] row-major (timm's <c>PatchEmbed</c>, parameter <c>proj</c>).</summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;

    public PatchEmbed(int dim, int patch) : base("PatchEmbed")
    {
        proj = Layers.Conv2d(3, dim, patch, stride: patch, bias: true);
        register_module("proj", proj);
    }

    public override Tensor forward(Tensor input) => proj.forward(input).flatten(2).transpose(1, 2);
}

/// <summary>
/// Shifted patch tokenization (SPT, Lee et al. 2021, "Vision Transformer for Small-Size Datasets"): the image and its
/// four diagonal shifts by half a patch (zero padded; order: itself, left-up, right-up, left-down, right-down as the
/// authors' code) are concatenated to 15 channels, cut into p×p patches flattened channel-major (c·p² + y·p + x),
/// then LayerNorm (<c>norm</c>) and Linear (<c>proj</c>).
/// </summary>
public sealed class ShiftedPatchTokenizer : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear proj;
    private readonly int patch;

    public ShiftedPatchTokenizer(int dim, int patch) : base("ShiftedPatchTokenizer")
    {
        this.patch = patch;
        int k = 5 * 3 * patch * patch;
        norm = Layers.LayerNorm(k, 1e-5);
        proj = Layers.Linear(k, dim);
        register_module("norm", norm);
        register_module("proj", proj);
    }

    public override Tensor forward(Tensor input)
    {
        long b = input.shape[0], h = input.shape[2], w = input.shape[3];
        long s = Math.Max(1, patch / 2);
        var padded = nn.functional.pad(input, [s, s, s, s]);
        var shifted = cat([
            input,
            padded.slice(2, 0, h, 1).slice(3, 0, w, 1),
            padded.slice(2, 0, h, 1).slice(3, 2 * s, 2 * s + w, 1),
            padded.slice(2, 2 * s, 2 * s + h, 1).slice(3, 0, w, 1),
            padded.slice(2, 2 * s, 2 * s + h, 1).slice(3, 2 * s, 2 * s + w, 1),
        ], 1);
        long gh = h / patch, gw = w / patch;
        var patches = shifted.reshape(b, 15, gh, patch, gw, patch).permute(0, 2, 4, 1, 3, 5).reshape(b, gh * gw, 15L * patch * patch);
        return proj.forward(norm.forward(patches));
    }
}

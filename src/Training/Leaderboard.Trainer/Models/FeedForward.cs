using Leaderboard.Trainer.Training;


namespace Leaderboard.Trainer.Models;

/// <summary>
/// The ViT MLP (Dosovitskiy et al. 2021): fc1 → GELU → dropout → fc2 → dropout (timm's <c>Mlp</c>). With
/// <see cref="ActiveHidden"/> below the hidden width (budgeted training, Xia et al. 2023) only the first hidden channels
/// are computed: their rows of fc1 and columns of fc2.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly double dropout;

    /// <summary>Hidden channels computed in forward: the first ones (all by default).</summary>
    public int ActiveHidden { get; set; }

    public Mlp(int dim, int hidden, double dropout = 0) : base("Mlp")
    {
        this.dropout = dropout;
        ActiveHidden = hidden;
        fc1 = Layers.Linear(dim, hidden);
        fc2 = Layers.Linear(hidden, dim);
        register_module("fc1", fc1);
        register_module("fc2", fc2);
    }

    public override Tensor forward(Tensor input)
    {
        bool all = ActiveHidden == fc1.Weight.shape[0];
        var x = nn.functional.gelu(all ? fc1.forward(input) : MixedPrecision.Linear(input, fc1.Weight.narrow(0, 0, ActiveHidden), fc1.Bias!.narrow(0, 0, ActiveHidden)));
        if (dropout > 0) x = nn.functional.dropout(x, dropout, training);
        x = all ? fc2.forward(x) : MixedPrecision.Linear(x, fc2.Weight.narrow(1, 0, ActiveHidden), fc2.Bias);
        return dropout > 0 ? nn.functional.dropout(x, dropout, training) : x;
    }
}

/// <summary>Token layout helpers: prefix tokens (cls, dist) first, then a square grid of patch tokens, row-major.</summary>
internal static class Tokens
{
    /// <summary>[B, N, C] → (prefix [B, P, C], patches as an image [B, C, G, G]).</summary>
    public static (Tensor Prefix, Tensor Grid) ToGrid(Tensor x, int prefix)
    {
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        long t = n - prefix;
        long g = (long)Math.Round(Math.Sqrt(t));
        if (g * g != t) throw new InvalidOperationException($"{t} patch tokens do not form a square grid");
        var prefixTokens = x.narrow(1, 0, prefix);
        var grid = x.narrow(1, prefix, t).transpose(1, 2).reshape(b, c, g, g);
        return (prefixTokens, grid);
    }

    /// <summary>[B, C, G, G] → [B, G·G, C].</summary>
    public static Tensor FromGrid(Tensor grid) => grid.flatten(2).transpose(1, 2);
}

/// <summary>
/// The locality FFN of Irandoust et al. 2022 ("Training a Vision Transformer from scratch in less than 24 hours with
/// 1 GPU"): fc1 → h-swish → depth-wise 3×3 conv over the patch tokens laid out as their grid (prefix tokens bypass
/// the conv) → h-swish → fc2. <see cref="ActiveHidden"/> computes only the first hidden channels, as <see cref="Mlp"/>'s.
/// </summary>
public sealed class LocalityFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Conv2d dwconv;
    private readonly Linear fc2;
    private readonly int prefix;

    /// <summary>Hidden channels computed in forward: the first ones (all by default).</summary>
    public int ActiveHidden { get; set; }

    public LocalityFeedForward(int dim, int hidden, int prefixTokens) : base("LocalityFeedForward")
    {
        prefix = prefixTokens;
        ActiveHidden = hidden;
        fc1 = Layers.Linear(dim, hidden);
        dwconv = Layers.Conv2d(hidden, hidden, 3, padding: 1, groups: hidden, bias: true);
        fc2 = Layers.Linear(hidden, dim);
        register_module("fc1", fc1);
        register_module("dwconv", dwconv);
        register_module("fc2", fc2);
    }

    public override Tensor forward(Tensor input)
    {
        int h = ActiveHidden;
        bool all = h == fc1.Weight.shape[0];
        var x = nn.functional.hardswish(all ? fc1.forward(input) : MixedPrecision.Linear(input, fc1.Weight.narrow(0, 0, h), fc1.Bias!.narrow(0, 0, h)));
        var (prefixTokens, grid) = Tokens.ToGrid(x, prefix);
        var conv = Tokens.FromGrid(all ? dwconv.forward(grid) : dwconv.ForwardDepthwise(grid, h));
        x = nn.functional.hardswish(prefix > 0 ? cat([prefixTokens, conv], 1) : conv);
        return all ? fc2.forward(x) : MixedPrecision.Linear(x, fc2.Weight.narrow(1, 0, h), fc2.Bias);
    }
}

/// <summary>
/// LocalViT's FFN (Li et al. 2021, "LocalViT: Bringing Locality to Vision Transformers", LocalViT-T-SE4): on the patch
/// grid, 1×1 conv → BN → h-swish → depth-wise 3×3 conv → BN → h-swish → squeeze-excitation (reduction 4) → 1×1 conv →
/// BN. Prefix tokens bypass it (their FFN output is 0). Replaces the block's norm2 (LocalViT's Block has none).
/// </summary>
public sealed class LocalVitFeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly TorchSharp.Modules.BatchNorm2d bn1;
    private readonly Conv2d dwconv;
    private readonly TorchSharp.Modules.BatchNorm2d bn2;
    private readonly SqueezeExcitation se;
    private readonly Conv2d conv2;
    private readonly TorchSharp.Modules.BatchNorm2d bn3;
    private readonly int prefix;

    public LocalVitFeedForward(int dim, int hidden, int seHidden, int prefixTokens) : base("LocalVitFeedForward")
    {
        prefix = prefixTokens;
        conv1 = Layers.Conv2d(dim, hidden, 1, bias: false);
        bn1 = Layers.BatchNorm2d(hidden);
        dwconv = Layers.Conv2d(hidden, hidden, 3, padding: 1, groups: hidden, bias: false);
        bn2 = Layers.BatchNorm2d(hidden);
        se = new SqueezeExcitation(hidden, seHidden);
        conv2 = Layers.Conv2d(hidden, dim, 1, bias: false);
        bn3 = Layers.BatchNorm2d(dim);
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("dwconv", dwconv);
        register_module("bn2", bn2);
        register_module("se", se);
        register_module("conv2", conv2);
        register_module("bn3", bn3);
    }

    public override Tensor forward(Tensor input)
    {
        var (prefixTokens, grid) = Tokens.ToGrid(input, prefix);
        var x = nn.functional.hardswish(bn1.forward(MixedPrecision.Full(conv1.forward(grid))));
        x = nn.functional.hardswish(bn2.forward(MixedPrecision.Full(dwconv.forward(x))));
        x = se.forward(x);
        x = bn3.forward(MixedPrecision.Full(conv2.forward(x)));
        var tokens = Tokens.FromGrid(x);
        return prefix > 0 ? cat([zeros_like(prefixTokens), tokens], 1) : tokens;
    }
}

/// <summary>Squeeze-and-excitation (Hu et al. 2018): global average pool → fc1 → ReLU → fc2 → h-sigmoid → channel scale.</summary>
public sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    public SqueezeExcitation(int channels, int hidden) : base("SqueezeExcitation")
    {
        fc1 = Layers.Linear(channels, hidden);
        fc2 = Layers.Linear(hidden, channels);
        register_module("fc1", fc1);
        register_module("fc2", fc2);
    }

    public override Tensor forward(Tensor input)
    {
        var s = input.mean([2L, 3L]);
        s = fc2.forward(fc1.forward(s).relu());
        s = s.add(3).clamp(0, 6).div(6); // h-sigmoid = ReLU6(x + 3) / 6
        return input * s.unsqueeze(-1).unsqueeze(-1);
    }
}

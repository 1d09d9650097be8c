using Leaderboard.Trainer.Training;

namespace Leaderboard.Trainer.Models.Binary;

/// <summary>Multi-head self-attention with binary qkv and proj linears and binarised queries and keys (BinaryViT, Le &amp; Li 2023);
/// the softmax probabilities and the values stay full precision.</summary>
public sealed class BinaryAttention : nn.Module<Tensor, Tensor>
{
    private readonly BinaryLinear qkv;
    private readonly BinaryLinear proj;
    private readonly int heads;

    public BinaryAttention(int dim, int heads) : base("BinaryAttention")
    {
        this.heads = heads;
        qkv = new BinaryLinear(dim, 3 * dim);
        proj = new BinaryLinear(dim, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        long b = input.shape[0], n = input.shape[1], d = input.shape[2];
        var parts = qkv.forward(input).reshape(b, n, 3, heads, d / heads).permute(2, 0, 3, 1, 4); // [3, B, h, N, d/h]
        var q = Binarize.Activations(parts[0]);
        var k = Binarize.Activations(parts[1]);
        var x = MixedPrecision.Attention(q, k, parts[2]); // softmax(q·kᵀ/√(d/h))·v: [B, h, N, d/h]
        return proj.forward(x.transpose(1, 2).reshape(b, n, d));
    }
}

/// <summary>The FFN with binary linears: fc1 → GELU → fc2.</summary>
public sealed class BinaryMlp : nn.Module<Tensor, Tensor>
{
    private readonly BinaryLinear fc1;
    private readonly BinaryLinear fc2;

    public BinaryMlp(int dim, int hidden) : base("BinaryMlp")
    {
        fc1 = new BinaryLinear(dim, hidden);
        fc2 = new BinaryLinear(hidden, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => fc2.forward(nn.functional.gelu(fc1.forward(input)));
}

/// <summary>
/// A BinaryViT block (Le &amp; Li 2023) on a square grid of tokens [B, G·G, D]: x += affine1(attn(norm1(x))); then
/// x += affine2(mlp(norm2(x))) plus the average-pooling branches: for each kernel k a k×1 and a 1×k average pool (stride 1,
/// zero padding counted) of norm2(x) over the grid, each through its own affine (scale initialised 0, so they start off).
/// </summary>
public sealed class BinaryBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly BinaryAttention attn;
    private readonly Affine affine1;
    private readonly LayerNorm norm2;
    private readonly BinaryMlp mlp;
    private readonly Affine affine2;
    private readonly DropPath dropPath;
    private readonly List<(int Kernel, Affine Height, Affine Width)> pools = [];

    public BinaryBlock(int dim, int heads, int hidden, IReadOnlyList<int> poolKernels, double affineInit, double dropPath) : base("BinaryBlock")
    {
        norm1 = Layers.LayerNorm(dim);
        attn = new BinaryAttention(dim, heads);
        affine1 = new Affine(dim, affineInit);
        norm2 = Layers.LayerNorm(dim);
        mlp = new BinaryMlp(dim, hidden);
        affine2 = new Affine(dim, affineInit);
        this.dropPath = new DropPath(dropPath);
        register_module("norm1", norm1);
        register_module("attn", attn);
        register_module("affine1", affine1);
        register_module("norm2", norm2);
        register_module("mlp", mlp);
        register_module("affine2", affine2);
        foreach (int k in poolKernels)
        {
            var (h, w) = (new Affine(dim, 0), new Affine(dim, 0));
            register_module($"pool_h{k}", h);
            register_module($"pool_w{k}", w);
            pools.Add((k, h, w));
        }
    }

    public override Tensor forward(Tensor input)
    {
        var x = input + dropPath.forward(affine1.forward(attn.forward(norm1.forward(input))));
        var normed = norm2.forward(x);
        var y = x + dropPath.forward(affine2.forward(mlp.forward(normed)));
        if (pools.Count == 0) return y;
        long side = Grid.Side(normed);
        var grid = Grid.ToGrid(normed, side);
        foreach (var (k, height, width) in pools)
        {
            long pad = (k - 1) / 2;
            y = y + height.forward(Grid.ToTokens(nn.functional.avg_pool2d(grid, [k, 1], [1, 1], [pad, 0])));
            y = y + width.forward(Grid.ToTokens(nn.functional.avg_pool2d(grid, [1, k], [1, 1], [0, pad])));
        }
        return y;
    }
}

/// <summary>
/// Downsampling between stages (BinaryViT's patch embedding of the next stage): norm_in → 2×2 stride-2 convolution (binary
/// or full precision) → norm_out, plus a shortcut of norm_in's output average-pooled 2×2 with its channels repeated up to
/// the new width. Tokens [B, G·G, C] → [B, (G/2)², C'].
/// </summary>
public sealed class Downsample : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm_in;
    private readonly nn.Module<Tensor, Tensor> proj;
    private readonly LayerNorm norm_out;
    private readonly long repeat;

    public Downsample(int input, int output, bool fullPrecision) : base("Downsample")
    {
        if (output % input != 0) throw new ArgumentException($"width {output} is not a multiple of {input}", nameof(output));
        repeat = output / input;
        norm_in = Layers.LayerNorm(input);
        proj = fullPrecision ? Layers.Conv2d(input, output, 2, stride: 2) : new BinaryConv2d(input, output, 2);
        norm_out = Layers.LayerNorm(output);
        register_module("norm_in", norm_in);
        register_module("proj", proj);
        register_module("norm_out", norm_out);
    }

    public override Tensor forward(Tensor input)
    {
        var grid = Grid.ToGrid(norm_in.forward(input), Grid.Side(input));
        var x = norm_out.forward(Grid.ToTokens(proj.forward(grid)));
        var shortcut = Grid.ToTokens(nn.functional.avg_pool2d(grid, [2, 2], [2, 2])).repeat(1, 1, repeat);
        return x + shortcut;
    }
}

/// <summary>One stage of the pyramid: its downsampling (all but the first) and its blocks.</summary>
public sealed class BinaryStage : nn.Module<Tensor, Tensor>
{
    private readonly Downsample? downsample;
    private readonly BlockList blocks;

    public BinaryStage(Downsample? downsample, IEnumerable<BinaryBlock> blocks) : base("BinaryStage")
    {
        this.downsample = downsample;
        this.blocks = new BlockList(blocks);
        if (downsample is not null) register_module("downsample", downsample);
        register_module("blocks", this.blocks);
    }

    public override Tensor forward(Tensor input) => blocks.forward(downsample?.forward(input) ?? input);
}

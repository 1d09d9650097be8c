using Leaderboard.Trainer.Training;
using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Models;

/// <summary>
/// HydraViT (Haberer et al., NeurIPS 2024, "HydraViT: Stacking Heads for a Scalable ViT"): one DeiT-shaped model whose
/// sub-network of the first k heads uses the first p = k·head_dim channels of everything — patch embedding, cls token and
/// position embedding, every LayerNorm (normalising over those p features), the q, k and v rows of the first k heads,
/// the projection, the first ⌊mlp_ratio·p⌋ MLP hidden units, and the head's first p inputs. Forward slices the one set of
/// parameters functionally (the sub-networks share weights), at <see cref="ActiveHeads"/>. Parameter names and shapes
/// are the plain ViT's (<see cref="ModelCost"/>); <see cref="SubnetworkWeights"/> gives the k-head sub-network as the
/// weights of a plain <see cref="VisionTransformer"/> of width p, which computes the same function.
/// Supports the plain ViT's patch tokenizer, MHSA, MLP FFN, cls or gap pooling, learned or sin-cos position embeddings,
/// dropout and stochastic depth (the recipe validator rejects the rest).
/// </summary>
public sealed class HydraVisionTransformer : ImageClassifier
{
    private readonly Part patch_embed;
    private readonly Parameter? cls_token;
    private readonly Parameter? pos_embed;
    private readonly TorchSharp.Modules.ModuleList<HydraBlock> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;
    private int activeHeads;

    public override ModelConfig Config { get; }
    public int BaseImageSize { get; }
    public int BaseGrid => Config.GridSize(BaseImageSize);

    public HydraVisionTransformer(ModelConfig config, int baseImageSize) : base("HydraVisionTransformer")
    {
        if (baseImageSize % config.PatchSize != 0)
            throw new ArgumentException($"image size {baseImageSize} is not a multiple of the patch size {config.PatchSize}", nameof(baseImageSize));
        Config = config;
        BaseImageSize = baseImageSize;
        activeHeads = config.Heads;
        int d = config.EmbedDim;

        patch_embed = new Part("PatchEmbed", ("proj", Layers.Conv2d(3, d, config.PatchSize, stride: config.PatchSize, bias: true)));
        register_module("patch_embed", patch_embed);
        if (config.HasClassToken)
        {
            cls_token = Init.Parameter([1, 1, d]);
            Init.Normal(cls_token, 1e-6); // timm
            register_parameter("cls_token", cls_token);
        }
        if (config.LearnedPosEmbed)
        {
            pos_embed = Init.Parameter([1, config.PrefixTokens + BaseGrid * BaseGrid, d]);
            Init.TruncNormal(pos_embed);
            register_parameter("pos_embed", pos_embed);
        }
        blocks = nn.ModuleList(Enumerable.Range(0, config.Depth)
            .Select(i => new HydraBlock(config, config.Depth > 1 ? config.DropPath * i / (config.Depth - 1) : config.DropPath)).ToArray());
        register_module("blocks", blocks);
        norm = Layers.LayerNorm(d);
        register_module("norm", norm);
        head = Layers.Linear(d, config.NumClasses);
        register_module("head", head);
        if (config.Init == "torch")
            foreach (var linear in modules().OfType<Linear>()) linear.ResetAsPyTorchDefault();
        if (config.ZeroHead) head.ZeroInit(); // Beyer et al. 2022
    }

    /// <summary>The sub-network forward uses: its first k heads (1 … heads; all of them unless set).</summary>
    public int ActiveHeads
    {
        get => activeHeads;
        set => activeHeads = value >= 1 && value <= Config.Heads
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"a sub-network has 1 to {Config.Heads} heads");
    }

    // Children are reached through their holders, not kept in fields of their own: TorchSharp's state_dict also walks a
    // module's fields, so a second reference would add a second name (e.g. "patchProj.weight") to the checkpoint.
    private Conv2d PatchProj => patch_embed.Child<Conv2d>("proj");

    /// <summary>Width of the k-head sub-network.</summary>
    public int Width(int heads) => heads * Config.HeadDim;

    /// <summary>Logits [B, C] of the <see cref="ActiveHeads"/> sub-network.</summary>
    /// <summary>The active sub-network's logits; HydraViT has no distillation head.</summary>
    public override (Tensor Cls, Tensor? Dist) ForwardHeads(Tensor input) => (forward(input), null);

    public override Tensor forward(Tensor input)
    {
        int p = Width(activeHeads);
        var x = MixedPrecision.Conv2d(input, PatchProj.Weight.narrow(0, 0, p), PatchProj.Bias!.narrow(0, 0, p), Config.PatchSize, 0, 1)
            .flatten(2).transpose(1, 2); // [B, T, p]
        if (cls_token is not null) x = cat([cls_token.narrow(2, 0, p).expand(x.shape[0], -1, -1), x], 1);
        x = x + PositionEmbedding(x.shape[1] - Config.PrefixTokens, p);
        if (Config.Dropout > 0) x = nn.functional.dropout(x, Config.Dropout, training);
        foreach (var block in blocks) x = block.Forward(x, activeHeads);
        x = Slice.Norm(norm, x, p);
        var pooled = Config.HasClassToken ? x.select(1, 0) : x.narrow(1, Config.PrefixTokens, x.shape[1] - Config.PrefixTokens).mean([1L]);
        return MixedPrecision.Linear(pooled, head.Weight.narrow(1, 0, p), head.Bias);
    }

    /// <summary>The first <paramref name="width"/> channels of the position embedding for <paramref name="patchTokens"/>
    /// patches (interpolated bicubically from the base grid as <see cref="VisionTransformer.PositionEmbedding"/> does).</summary>
    private Tensor PositionEmbedding(long patchTokens, int width)
    {
        long g = (long)Math.Round(Math.Sqrt(patchTokens));
        int prefix = Config.PrefixTokens;
        if (pos_embed is null)
        {
            // No parameter to slice: the sub-network's own sin-cos table, so it is exactly a sincos2d ViT of its width.
            var table = VisionTransformer.SinCos2d(g, g, width, head.Weight.device);
            return prefix > 0 ? cat([zeros([1, prefix, width], ScalarType.Float32, table.device), table], 1) : table;
        }
        return VisionTransformer.ResampleGrid(pos_embed.narrow(2, 0, width), prefix, BaseGrid, g);
    }

    /// <summary>
    /// The <paramref name="heads"/>-head sub-network as the state dict of a plain <see cref="VisionTransformer"/> built
    /// from <see cref="HydraSubnetworks.Config"/>: every parameter sliced as forward slices it (copies).
    /// </summary>
    public Dictionary<string, Tensor> SubnetworkWeights(int heads)
    {
        int p = Width(heads), hidden = HydraSubnetworks.Config(Config, heads).MlpHidden;
        using var ng = no_grad();
        var weights = new Dictionary<string, Tensor>();
        void Add(string name, Tensor t) => weights[name] = t.detach().clone();
        Add("patch_embed.proj.weight", PatchProj.Weight.narrow(0, 0, p));
        Add("patch_embed.proj.bias", PatchProj.Bias!.narrow(0, 0, p));
        if (cls_token is not null) Add("cls_token", cls_token.narrow(2, 0, p));
        if (pos_embed is not null) Add("pos_embed", pos_embed.narrow(2, 0, p));
        for (int i = 0; i < blocks.Count; i++)
            foreach (var (name, t) in blocks[i].Sliced(heads))
                Add($"blocks.{i}.{name}", t);
        Add("norm.weight", norm.Weight.narrow(0, 0, p));
        Add("norm.bias", norm.Bias.narrow(0, 0, p));
        Add("head.weight", head.Weight.narrow(1, 0, p));
        Add("head.bias", head.Bias!);
        return weights;
    }
}

/// <summary>
/// A HydraViT transformer block: the plain pre-norm block (timm's names: norm1, attn.qkv, attn.proj, norm2, mlp.fc1,
/// mlp.fc2) computed at the first k heads' width; see <see cref="HydraVisionTransformer"/>.
/// </summary>
public sealed class HydraBlock : nn.Module
{
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly Part attn;
    private readonly Part mlp;
    private readonly DropPath drop_path;
    private readonly int dim;
    private readonly int headDim;
    private readonly double mlpRatio;
    private readonly double dropout;

    public HydraBlock(ModelConfig c, double dropPath) : base("Block")
    {
        dim = c.EmbedDim;
        headDim = c.HeadDim;
        mlpRatio = c.MlpRatio;
        dropout = c.Dropout;
        norm1 = Layers.LayerNorm(dim);
        norm2 = Layers.LayerNorm(dim);
        drop_path = new DropPath(dropPath);
        attn = new Part("Attention", ("qkv", Layers.Linear(dim, 3 * dim)), ("proj", Layers.Linear(dim, dim)));
        mlp = new Part("Mlp", ("fc1", Layers.Linear(dim, c.MlpHidden)), ("fc2", Layers.Linear(c.MlpHidden, dim)));
        register_module("norm1", norm1);
        register_module("attn", attn);
        register_module("norm2", norm2);
        register_module("mlp", mlp);
        register_module("drop_path", drop_path);
    }

    private Linear qkv => attn.Child<Linear>("qkv");
    private Linear proj => attn.Child<Linear>("proj");
    private Linear fc1 => mlp.Child<Linear>("fc1");
    private Linear fc2 => mlp.Child<Linear>("fc2");

    private int Hidden(int width) => (int)(width * mlpRatio);

    /// <summary>x [B, N, k·head_dim] → the same shape, through the first <paramref name="heads"/> heads.</summary>
    public Tensor Forward(Tensor x, int heads)
    {
        int p = heads * headDim, hidden = Hidden(p);
        long b = x.shape[0], n = x.shape[1];
        var (qkvWeight, qkvBias) = QkvRows(p);
        var parts = MixedPrecision.Linear(Slice.Norm(norm1, x, p), qkvWeight, qkvBias)
            .reshape(b, n, 3, heads, headDim).permute(2, 0, 3, 1, 4); // [3, B, k, N, head_dim]
        var a = MixedPrecision.Attention(parts[0], parts[1], parts[2]).transpose(1, 2).reshape(b, n, p);
        a = MixedPrecision.Linear(a, proj.Weight.narrow(0, 0, p).narrow(1, 0, p), proj.Bias!.narrow(0, 0, p));
        if (dropout > 0) a = nn.functional.dropout(a, dropout, training);
        x = x + drop_path.forward(a);

        var f = nn.functional.gelu(MixedPrecision.Linear(Slice.Norm(norm2, x, p), fc1.Weight.narrow(0, 0, hidden).narrow(1, 0, p), fc1.Bias!.narrow(0, 0, hidden)));
        if (dropout > 0) f = nn.functional.dropout(f, dropout, training);
        f = MixedPrecision.Linear(f, fc2.Weight.narrow(0, 0, p).narrow(1, 0, hidden), fc2.Bias!.narrow(0, 0, p));
        if (dropout > 0) f = nn.functional.dropout(f, dropout, training);
        return x + drop_path.forward(f);
    }

    /// <summary>The q, k and v rows of the first heads (each of q, k, v is head-major: rows h·head_dim … (h+1)·head_dim − 1),
    /// over the first <paramref name="p"/> input channels: [3p, p] and [3p].</summary>
    private (Tensor Weight, Tensor Bias) QkvRows(int p) => (
        qkv.Weight.view(3, dim, dim).narrow(1, 0, p).narrow(2, 0, p).reshape(3 * p, p),
        qkv.Bias!.view(3, dim).narrow(1, 0, p).reshape(3 * p));

    /// <summary>This block's parameters as the <paramref name="heads"/>-head sub-network uses them, with the plain block's names.</summary>
    public IEnumerable<(string Name, Tensor Value)> Sliced(int heads)
    {
        int p = heads * headDim, hidden = Hidden(p);
        var (w, b) = QkvRows(p);
        yield return ("norm1.weight", norm1.Weight.narrow(0, 0, p));
        yield return ("norm1.bias", norm1.Bias.narrow(0, 0, p));
        yield return ("attn.qkv.weight", w);
        yield return ("attn.qkv.bias", b);
        yield return ("attn.proj.weight", proj.Weight.narrow(0, 0, p).narrow(1, 0, p));
        yield return ("attn.proj.bias", proj.Bias!.narrow(0, 0, p));
        yield return ("norm2.weight", norm2.Weight.narrow(0, 0, p));
        yield return ("norm2.bias", norm2.Bias.narrow(0, 0, p));
        yield return ("mlp.fc1.weight", fc1.Weight.narrow(0, 0, hidden).narrow(1, 0, p));
        yield return ("mlp.fc1.bias", fc1.Bias!.narrow(0, 0, hidden));
        yield return ("mlp.fc2.weight", fc2.Weight.narrow(0, 0, p).narrow(1, 0, hidden));
        yield return ("mlp.fc2.bias", fc2.Bias!.narrow(0, 0, p));
    }
}

/// <summary>A named holder of child modules (timm's nesting, e.g. <c>attn.qkv</c>), without a forward of its own.</summary>
public sealed class Part : nn.Module
{
    private readonly Dictionary<string, nn.Module> parts = [];

    public Part(string name, params (string Name, nn.Module Module)[] children) : base(name)
    {
        foreach (var (child, module) in children)
        {
            register_module(child, module);
            parts[child] = module;
        }
    }

    public T Child<T>(string name) where T : nn.Module => (T)parts[name];
}

internal static class Slice
{
    /// <summary>LayerNorm over the first <paramref name="width"/> features (statistics over those only), in fp32.</summary>
    public static Tensor Norm(LayerNorm norm, Tensor x, int width) =>
        nn.functional.layer_norm(MixedPrecision.Full(x), [width], norm.Weight.narrow(0, 0, width), norm.Bias.narrow(0, 0, width), norm.Eps);
}

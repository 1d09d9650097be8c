using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Models;

/// <summary>
/// The ViT / DeiT family (Dosovitskiy et al. 2021; Touvron et al. 2021) built from a <see cref="ModelConfig"/>, with the
/// module layout and parameter names that <see cref="ModelCost"/> documents (timm's for the plain ViT, so checkpoints
/// load in timm). forward = <see cref="ForwardFeatures"/> then <see cref="ForwardHead"/>.
/// <para>
/// <b>Position embeddings across image sizes.</b> <c>pos_embed</c> is one parameter at the model's base size (the
/// final training size, <see cref="BaseImageSize"/>); at any other size the patch rows are interpolated bicubically
/// over the grid in forward (prefix rows kept), so the gradient flows back to the one base parameter. The parameter
/// object, its shape, the optimizer's moments and the EMA copy therefore stay the same through an image-size
/// curriculum: nothing is re-created when the size changes (re-creating it as a fresh tensor, as Irandoust et al.'s
/// reference code did, silently detaches it from the optimizer). Evaluating at another resolution works the same way.
/// With <c>pos_embed: sincos2d</c> there is no parameter: <see cref="SinCos2d"/> of the current grid is added to the
/// patch tokens, so it follows the curriculum's size exactly, with nothing to interpolate.
/// </para>
/// </summary>
public sealed class VisionTransformer : ImageClassifier
{
    private readonly nn.Module<Tensor, Tensor> patch_embed;
    private readonly Parameter? cls_token;
    private readonly Parameter? dist_token;
    private readonly Parameter? pos_embed;
    private Tensor? sincos; // the fixed embedding of the last grid seen (not a parameter, not in the state dict)
    private readonly BlockList blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;
    private readonly Linear? head_dist;

    public override ModelConfig Config { get; }
    public int BaseImageSize { get; }
    public int BaseGrid => Config.GridSize(BaseImageSize);

    public VisionTransformer(ModelConfig config, int baseImageSize) : base("VisionTransformer")
    {
        if (baseImageSize % config.PatchSize != 0)
            throw new ArgumentException($"image size {baseImageSize} is not a multiple of the patch size {config.PatchSize}", nameof(baseImageSize));
        Config = config;
        BaseImageSize = baseImageSize;
        int d = config.EmbedDim;

        patch_embed = config.Tokenizer == "spt" ? new ShiftedPatchTokenizer(d, config.PatchSize) : new PatchEmbed(d, config.PatchSize);
        register_module("patch_embed", patch_embed);
        if (config.HasClassToken)
        {
            cls_token = Init.Parameter([1, 1, d]);
            Init.Normal(cls_token, 1e-6); // timm
            register_parameter("cls_token", cls_token);
        }
        if (config.DistillationToken)
        {
            dist_token = Init.Parameter([1, 1, d]);
            Init.TruncNormal(dist_token); // DeiT
            register_parameter("dist_token", dist_token);
        }
        if (config.LearnedPosEmbed)
        {
            pos_embed = Init.Parameter([1, config.PrefixTokens + BaseGrid * BaseGrid, d]);
            Init.TruncNormal(pos_embed);
            register_parameter("pos_embed", pos_embed);
        }

        var blockList = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < config.Depth; i++)
        {
            double rate = config.Depth > 1 ? config.DropPath * i / (config.Depth - 1) : config.DropPath;
            blockList.Add(NewBlock(config, rate));
        }
        blocks = new BlockList(blockList);
        register_module("blocks", blocks);
        norm = Layers.LayerNorm(d);
        register_module("norm", norm);
        head = Layers.Linear(d, config.NumClasses);
        register_module("head", head);
        if (config.DistillationToken)
        {
            head_dist = Layers.Linear(d, config.NumClasses);
            register_module("head_dist", head_dist);
        }
        if (config.Init == "torch")
            foreach (var linear in modules().OfType<Linear>()) linear.ResetAsPyTorchDefault();
        if (config.ZeroHead)
        {
            // Beyer et al. 2022: the head starts at zero, so the first predictions are uniform.
            head.ZeroInit();
            head_dist?.ZeroInit();
        }
    }

    private static Block NewBlock(ModelConfig c, double dropPath)
    {
        int d = c.EmbedDim;
        nn.Module<Tensor, Tensor> attn = new Attention(d, c.Heads, locality: c.Attention == "lsa", dropout: c.Dropout);
        nn.Module<Tensor, Tensor> mlp = c.Ffn switch
        {
            "locality" => new LocalityFeedForward(d, c.MlpHidden, c.PrefixTokens),
            "localvit" => new LocalVitFeedForward(d, c.MlpHidden, c.SeHidden, c.PrefixTokens),
            _ => new Mlp(d, c.MlpHidden, c.Dropout),
        };
        var norm2 = c.Ffn == "localvit" ? null : Layers.LayerNorm(d);
        var ls1 = c.LayerScale is double g1 ? new LayerScale(d, g1) : null;
        var ls2 = c.LayerScale is double g2 ? new LayerScale(d, g2) : null;
        return new Block(Layers.LayerNorm(d), attn, norm2, mlp, ls1, ls2, dropPath);
    }

    /// <summary>
    /// Computes only the first <paramref name="heads"/> attention heads and <paramref name="mlpHidden"/> FFN channels of
    /// every block (budgeted training, Xia et al. 2023); (Config.Heads, Config.MlpHidden) is the full model.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">the counts exceed the model's, or the FFN (localvit) cannot be sliced.</exception>
    public void SetActiveWidth(int heads, int mlpHidden)
    {
        if (heads < 1 || heads > Config.Heads) throw new ArgumentOutOfRangeException(nameof(heads), heads, $"between 1 and {Config.Heads}");
        if (mlpHidden < 1 || mlpHidden > Config.MlpHidden) throw new ArgumentOutOfRangeException(nameof(mlpHidden), mlpHidden, $"between 1 and {Config.MlpHidden}");
        if (Config.Ffn == "localvit" && mlpHidden != Config.MlpHidden)
            throw new ArgumentOutOfRangeException(nameof(mlpHidden), "the localvit FFN computes all its channels");
        foreach (var m in modules())
        {
            switch (m)
            {
                case Attention a: a.ActiveHeads = heads; break;
                case Mlp f: f.ActiveHidden = mlpHidden; break;
                case LocalityFeedForward f: f.ActiveHidden = mlpHidden; break;
            }
        }
    }

    /// <summary>Logits [B, C]; with a distillation token the mean of the two heads (DeiT's inference rule).</summary>
    public override Tensor forward(Tensor input)
    {
        var (cls, dist) = ForwardHeads(input);
        return dist is null ? cls : (cls + dist).mul(0.5);
    }

    /// <summary>The head logits and, with a distillation token, head_dist's (training uses both).</summary>
    public override (Tensor Cls, Tensor? Dist) ForwardHeads(Tensor input) => ForwardHead(ForwardFeatures(input));

    /// <summary>Tokens after the final norm: [B, N, D].</summary>
    public Tensor ForwardFeatures(Tensor input)
    {
        var x = patch_embed.forward(input);
        long b = x.shape[0];
        var prefix = new List<Tensor>();
        if (cls_token is not null) prefix.Add(cls_token.expand(b, -1, -1));
        if (dist_token is not null) prefix.Add(dist_token.expand(b, -1, -1));
        if (prefix.Count > 0) x = cat([.. prefix, x], 1);
        x = x + PositionEmbedding(x.shape[1] - Config.PrefixTokens);
        if (Config.Dropout > 0) x = nn.functional.dropout(x, Config.Dropout, training);
        x = blocks.forward(x);
        return norm.forward(x);
    }

    public (Tensor Cls, Tensor? Dist) ForwardHead(Tensor features)
    {
        int p = Config.PrefixTokens;
        Tensor pooled = Config.HasClassToken
            ? features.select(1, 0)
            : features.narrow(1, p, features.shape[1] - p).mean([1L]);
        var logits = head.forward(pooled);
        if (head_dist is null) return (logits, null);
        var dist = head_dist.forward(features.select(1, Config.HasClassToken ? 1 : 0));
        return (logits, dist);
    }

    /// <summary>
    /// The position embedding [1, prefix + <paramref name="patchTokens"/>, D]. Learned: the parameter itself at the base
    /// grid, else its patch rows interpolated bicubically (align_corners false, as timm's resample_abs_pos_embed) to the new
    /// grid. sincos2d: <see cref="SinCos2d"/> of the grid (kept until the grid changes), zero rows for the prefix tokens.
    /// </summary>
    public Tensor PositionEmbedding(long patchTokens)
    {
        long g = (long)Math.Round(Math.Sqrt(patchTokens));
        if (g * g != patchTokens) throw new ArgumentException($"{patchTokens} patch tokens do not form a square grid", nameof(patchTokens));
        return pos_embed is null ? SinCos(g) : ResampleGrid(pos_embed, Config.PrefixTokens, BaseGrid, g);
    }

    /// <summary>
    /// A learned position embedding [1, prefix + g0², D] for a g×g grid: itself when g = g0, else its patch rows
    /// interpolated bicubically (align_corners false, as timm's resample_abs_pos_embed), the prefix rows kept.
    /// </summary>
    public static Tensor ResampleGrid(Tensor posEmbed, int prefix, int g0, long g)
    {
        if (g == g0) return posEmbed;
        long d = posEmbed.shape[2];
        var grid = posEmbed.narrow(1, prefix, (long)g0 * g0).reshape(1, g0, g0, d).permute(0, 3, 1, 2);
        var resized = nn.functional.interpolate(grid, [g, g], mode: InterpolationMode.Bicubic, align_corners: false)
            .permute(0, 2, 3, 1).reshape(1, g * g, d);
        return prefix > 0 ? cat([posEmbed.narrow(1, 0, prefix), resized], 1) : resized;
    }

    /// <summary>The fixed embedding of a g×g grid on the model's device, prefix rows zero; computed when the grid changes.</summary>
    private Tensor SinCos(long g)
    {
        var device = head.Weight.device;
        if (sincos is null || sincos.shape[1] != Config.PrefixTokens + g * g || sincos.device_type != device.type || sincos.device_index != device.index)
        {
            sincos?.Dispose();
            using var scope = NewDisposeScope();
            var table = SinCos2d(g, g, Config.EmbedDim, device);
            if (Config.PrefixTokens > 0) table = cat([zeros([1, Config.PrefixTokens, Config.EmbedDim], ScalarType.Float32, device), table], 1);
            sincos = table.DetachFromDisposeScope();
        }
        return sincos;
    }

    /// <summary>
    /// big_vision's <c>posemb_sincos_2d</c> (Beyer et al. 2022): [1, h·w, D] for a row-major h×w grid, D/4 frequencies
    /// ω_k = 10000^(−k/(D/4 − 1)), each token [sin(x·ω), cos(x·ω), sin(y·ω), cos(y·ω)] with x its column, y its row.
    /// </summary>
    public static Tensor SinCos2d(long h, long w, int dim, Device? device = null, double temperature = 10_000)
    {
        if (dim % 4 != 0 || dim < 8) throw new ArgumentException($"embed dim {dim} must be a multiple of 4 of at least 8 for 2-D sin-cos embeddings", nameof(dim));
        using var scope = NewDisposeScope();
        long quarter = dim / 4;
        var omega = pow(temperature, arange(quarter, ScalarType.Float64, device).div(quarter - 1)).reciprocal();
        var grid = arange(h * w, ScalarType.Int64, device);
        var y = grid.div(w, RoundingMode.floor).to(ScalarType.Float64).outer(omega);
        var x = grid.remainder(w).to(ScalarType.Float64).outer(omega);
        return cat([x.sin(), x.cos(), y.sin(), y.cos()], 1).to(ScalarType.Float32).unsqueeze(0).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) sincos?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Parameters that get no weight decay (DeiT / timm): every 1-d parameter (norms, biases, LayerScale
    /// gammas), scalars (LSA temperatures) and the token / position embeddings.</summary>
    public static bool NoWeightDecay(string name, Tensor parameter) =>
        parameter.dim() <= 1 || name is "pos_embed" or "cls_token" or "dist_token";
}

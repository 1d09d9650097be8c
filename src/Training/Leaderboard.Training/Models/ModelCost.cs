namespace Leaderboard.Training.Models;

/// <summary>One learnable parameter tensor of the model: its name (as the trainer's module registers it) and shape.</summary>
public sealed record ParameterShape(string Name, IReadOnlyList<int> Shape)
{
    public long Count => Shape.Aggregate(1L, (n, d) => n * d);
}

/// <summary>
/// Analytic parameter and FLOP count of the ViT family a <see cref="ModelConfig"/> describes. This is the contract the
/// libtorch model in <c>Leaderboard.Trainer</c> is built to: its registered parameters must be exactly
/// <see cref="Parameters"/> (names and shapes), so its parameter count equals <see cref="Count"/>.
/// <para>
/// <b>Module layout.</b> Notation: D = embed_dim, L = depth, h = heads, H = <c>MlpHidden</c> = ⌊D·mlp_ratio⌋,
/// C = classes, p = patch_size, G = image_size / p (grid side), T = G² patch tokens, P = prefix tokens
/// (cls_token when pooling = cls, plus dist_token when distillation_token), N = P + T tokens,
/// K = <c>SptPatchDim</c> = 5·3·p², S = <c>SeHidden</c> = max(1, ⌊H/4⌋). Every Linear has a bias unless said otherwise;
/// shapes are PyTorch's ([out, in] for Linear, [out, in/groups, kh, kw] for Conv2d). Token order: cls, dist, patches
/// (row-major over the grid).
/// </para>
/// <list type="table">
/// <listheader><term>parameter</term><description>shape, and when present</description></listheader>
/// <item><term>patch_embed.proj.weight / .bias</term><description>[D, 3, p, p] / [D]: Conv2d(3, D, p, stride p) (tokenizer = patch)</description></item>
/// <item><term>patch_embed.norm.weight / .bias</term><description>[K] / [K] (tokenizer = spt): SPT (Lee et al. 2021) concatenates the image with
/// its four diagonal half-patch shifts (shift by (±p/2, ±p/2), zero padded) → 15 channels, cuts p×p patches, flattens each
/// (channel-major: c·p² + y·p + x, i.e. unfold order) to K values, LayerNorm over K…</description></item>
/// <item><term>patch_embed.proj.weight / .bias</term><description>[D, K] / [D] (tokenizer = spt): …then Linear(K, D)</description></item>
/// <item><term>cls_token</term><description>[1, 1, D] (pooling = cls)</description></item>
/// <item><term>dist_token</term><description>[1, 1, D] (distillation_token)</description></item>
/// <item><term>pos_embed</term><description>[1, N, D] (pos_embed = learned): one per prefix token and per patch at the model's image
/// size (bicubically interpolated over the grid, prefix rows kept, when the training size changes). With pos_embed = sincos2d
/// there is no parameter: the patch tokens get big_vision's fixed 2-D sin-cos embedding of the current grid (D/4
/// frequencies ω_k = 10000^(−k/(D/4−1)); per token [sin(x·ω), cos(x·ω), sin(y·ω), cos(y·ω)], x the column and y the row),
/// the prefix tokens none (Beyer et al. 2022)</description></item>
/// <item><term>blocks.{i}.norm1.weight / .bias</term><description>[D] / [D] (LayerNorm, eps 1e-6)</description></item>
/// <item><term>blocks.{i}.attn.qkv.weight / .bias</term><description>[3D, D] / [3D]</description></item>
/// <item><term>blocks.{i}.attn.temperature</term><description>[] scalar (attention = lsa): the learnable log-temperature of LSA
/// (Lee et al. 2021), initialised to log(1/√(D/h)); scores = q·kᵀ·exp(temperature), the diagonal (a token with itself)
/// masked to −∞ before the softmax</description></item>
/// <item><term>blocks.{i}.attn.proj.weight / .bias</term><description>[D, D] / [D]</description></item>
/// <item><term>blocks.{i}.ls1.gamma</term><description>[D] (layer_scale set; initialised to layer_scale) scales the attention branch</description></item>
/// <item><term>blocks.{i}.norm2.weight / .bias</term><description>[D] / [D] (ffn = mlp or locality; <b>absent for localvit</b>, whose
/// BatchNorms replace it, as in LocalViT's Block)</description></item>
/// <item><term>blocks.{i}.mlp.fc1.weight / .bias</term><description>[H, D] / [H] (ffn = mlp or locality)</description></item>
/// <item><term>blocks.{i}.mlp.dwconv.weight / .bias</term><description>[H, 1, 3, 3] / [H] (ffn = locality): depth-wise Conv2d(H, H, 3,
/// padding 1, groups H) over the G×G grid of patch tokens</description></item>
/// <item><term>blocks.{i}.mlp.fc2.weight / .bias</term><description>[D, H] / [D] (ffn = mlp or locality)</description></item>
/// <item><term>blocks.{i}.mlp.conv1.weight</term><description>[H, D, 1, 1], no bias (ffn = localvit)</description></item>
/// <item><term>blocks.{i}.mlp.bn1.weight / .bias</term><description>[H] / [H] BatchNorm2d (running_mean/var are buffers, not parameters)</description></item>
/// <item><term>blocks.{i}.mlp.dwconv.weight</term><description>[H, 1, 3, 3], no bias (ffn = localvit)</description></item>
/// <item><term>blocks.{i}.mlp.bn2.weight / .bias</term><description>[H] / [H]</description></item>
/// <item><term>blocks.{i}.mlp.se.fc1.weight / .bias</term><description>[S, H] / [S] (squeeze-excitation, reduction 4)</description></item>
/// <item><term>blocks.{i}.mlp.se.fc2.weight / .bias</term><description>[H, S] / [H]</description></item>
/// <item><term>blocks.{i}.mlp.conv2.weight</term><description>[D, H, 1, 1], no bias</description></item>
/// <item><term>blocks.{i}.mlp.bn3.weight / .bias</term><description>[D] / [D]</description></item>
/// <item><term>blocks.{i}.ls2.gamma</term><description>[D] (layer_scale set) scales the FFN branch</description></item>
/// <item><term>norm.weight / .bias</term><description>[D] / [D]: final LayerNorm, applied to all tokens</description></item>
/// <item><term>head.weight / .bias</term><description>[C, D] / [C]: on the cls token (pooling = cls) or the mean of the patch tokens (gap);
/// both zero at initialisation with zero_head (Beyer et al. 2022)</description></item>
/// <item><term>head_dist.weight / .bias</term><description>[C, D] / [C] (distillation_token): on the dist token; at inference the
/// prediction is the mean of the two heads' logits (DeiT)</description></item>
/// </list>
/// <para>
/// <b>Forward.</b> x = tokens + pos_embed (dropout); per block i (stochastic depth rate drop_path·i/(L−1)):
/// x = x + drop_path(ls1(attn(norm1(x)))); x = x + drop_path(ls2(ffn(norm2(x)))) (localvit: no norm2); then norm(x) and the head(s).
/// Attention: qkv → h heads of D/h, softmax(q·kᵀ/√(D/h))·v (LSA: the learnable temperature and diagonal mask above), proj.
/// FFNs: <b>mlp</b>: fc1 → GELU → dropout → fc2 → dropout.
/// <b>locality</b> (Irandoust et al. 2022): fc1 → h-swish → dwconv on the patch tokens reshaped to [B, H, G, G] (prefix
/// tokens bypass the conv unchanged) → h-swish → fc2.
/// <b>localvit</b> (Li et al. 2021, LocalViT-T-SE4): the prefix tokens bypass the whole FFN (output 0 for them); patch tokens as
/// [B, D, G, G] → conv1 → bn1 → h-swish → dwconv (padding 1, groups H) → bn2 → h-swish → SE (global average pool over
/// the grid → se.fc1 → ReLU → se.fc2 → h-sigmoid → channel scale) → conv2 → bn3.
/// </para>
/// <para>
/// <b>FLOPs</b> follow fvcore / timm's convention, so DeiT-Ti/S/B come out at 1.26 / 4.61 / 17.58 G at 224 px: one
/// multiply-add = one FLOP, counted for every Linear, Conv2d and attention matmul (q·kᵀ and attn·v: N²·D each per
/// block); normalisation layers at fvcore's per-element estimates (LayerNorm 5 per element, BatchNorm in inference 2 per
/// element); activations, softmax, residual adds, LayerScale, dropout, pooling, the position-embedding add and SPT's
/// shifts are not counted. The FFN linears run on all N tokens (mlp, locality); convolutions on the T patch tokens;
/// the SE linears once per image; the head(s) on one token each. This is the forward (inference) cost of one image.
/// </para>
/// </summary>
public static class ModelCost
{
    /// <summary>Parameters and forward FLOPs (multiply-add = 1) for one image of <paramref name="imageSize"/> pixels.</summary>
    public static (long Params, double Flops) Count(ModelConfig config, int imageSize) =>
        (Parameters(config, imageSize).Sum(p => p.Count), Flops(config, imageSize));

    /// <summary>Every learnable parameter, named and shaped as the trainer's model registers it (see the layout above).</summary>
    public static IReadOnlyList<ParameterShape> Parameters(ModelConfig config, int imageSize)
    {
        if (config.Binary is not null) return BinaryCost.Parameters(config, imageSize);
        int d = config.EmbedDim, h = config.MlpHidden, c = config.NumClasses, p = config.PatchSize;
        int tokens = config.PrefixTokens + Square(config.GridSize(imageSize));
        var list = new List<ParameterShape>();
        void Add(string name, params int[] shape) => list.Add(new ParameterShape(name, shape));
        void Linear(string name, int output, int input, bool bias = true)
        {
            Add(name + ".weight", output, input);
            if (bias) Add(name + ".bias", output);
        }
        void Norm(string name, int width)
        {
            Add(name + ".weight", width);
            Add(name + ".bias", width);
        }

        if (config.Tokenizer == "spt")
        {
            Norm("patch_embed.norm", config.SptPatchDim);
            Linear("patch_embed.proj", d, config.SptPatchDim);
        }
        else
        {
            Add("patch_embed.proj.weight", d, 3, p, p);
            Add("patch_embed.proj.bias", d);
        }
        if (config.HasClassToken) Add("cls_token", 1, 1, d);
        if (config.DistillationToken) Add("dist_token", 1, 1, d);
        if (config.LearnedPosEmbed) Add("pos_embed", 1, tokens, d);

        for (int i = 0; i < config.Depth; i++)
        {
            string b = $"blocks.{i}.";
            Norm(b + "norm1", d);
            Linear(b + "attn.qkv", 3 * d, d);
            if (config.Attention == "lsa") Add(b + "attn.temperature");
            Linear(b + "attn.proj", d, d);
            if (config.LayerScale is not null) Add(b + "ls1.gamma", d);
            switch (config.Ffn)
            {
                case "localvit":
                    Add(b + "mlp.conv1.weight", h, d, 1, 1);
                    Norm(b + "mlp.bn1", h);
                    Add(b + "mlp.dwconv.weight", h, 1, 3, 3);
                    Norm(b + "mlp.bn2", h);
                    Linear(b + "mlp.se.fc1", config.SeHidden, h);
                    Linear(b + "mlp.se.fc2", h, config.SeHidden);
                    Add(b + "mlp.conv2.weight", d, h, 1, 1);
                    Norm(b + "mlp.bn3", d);
                    break;
                case "locality":
                    Norm(b + "norm2", d);
                    Linear(b + "mlp.fc1", h, d);
                    Add(b + "mlp.dwconv.weight", h, 1, 3, 3);
                    Add(b + "mlp.dwconv.bias", h);
                    Linear(b + "mlp.fc2", d, h);
                    break;
                default:
                    Norm(b + "norm2", d);
                    Linear(b + "mlp.fc1", h, d);
                    Linear(b + "mlp.fc2", d, h);
                    break;
            }
            if (config.LayerScale is not null) Add(b + "ls2.gamma", d);
        }
        Norm("norm", d);
        Linear("head", c, d);
        if (config.DistillationToken) Linear("head_dist", c, d);
        return list;
    }

    /// <summary>Binary multiply-adds of one image (BinaryViT; 0 for a full-precision model).</summary>
    public static double Bops(ModelConfig config, int imageSize) => config.Binary is null ? 0 : BinaryCost.BinaryOps(config, imageSize);

    /// <summary>
    /// Multiply-adds a training step executes per image in the forward pass: <see cref="Flops"/>, except that a BinaryViT's
    /// binary operations run as floating-point ones while it trains (the binary weights are simulated), so they count in full.
    /// </summary>
    public static double ExecutedFlops(ModelConfig config, int imageSize) => config.Binary is null
        ? Flops(config, imageSize)
        : BinaryCost.FullPrecisionFlops(config, imageSize) + BinaryCost.BinaryOps(config, imageSize);

    /// <summary>
    /// Forward FLOPs of one image (multiply-add = 1; the counted ops are listed in the class comment). For a BinaryViT the
    /// paper's OPs: full-precision FLOPs + BOPs/64 (<see cref="BinaryCost"/>).
    /// </summary>
    public static double Flops(ModelConfig config, int imageSize) => config.Binary is not null
        ? BinaryCost.Ops(config, imageSize)
        : Flops(config, imageSize, config.Heads, config.MlpHidden);
    /// <summary>
    /// Forward FLOPs of one image with only the first <paramref name="activeHeads"/> heads and <paramref name="activeHidden"/>
    /// FFN channels computed (budgeted training, Xia et al. 2023): qkv, the attention matmuls and proj shrink to
    /// activeHeads·head_dim of the D attention channels, the FFN's linears (and dwconv) to activeHidden channels.
    /// </summary>
    public static double Flops(ModelConfig config, int imageSize, int activeHeads, int activeHidden)
    {
        double d = config.EmbedDim, h = activeHidden, c = config.NumClasses, p = config.PatchSize;
        double a = activeHeads == config.Heads ? d : (double)activeHeads * config.HeadDim; // active attention channels
        double t = Square(config.GridSize(imageSize)), n = config.PrefixTokens + t;
        const double LayerNormPerElement = 5, BatchNormPerElement = 2;

        double flops = config.Tokenizer == "spt"
            ? LayerNormPerElement * t * config.SptPatchDim + t * config.SptPatchDim * d
            : t * d * 3 * p * p;

        double attention = LayerNormPerElement * n * d // norm1
            + n * d * 3 * a                            // qkv
            + 2 * n * n * a                            // q·kᵀ and attn·v
            + n * a * d;                               // proj
        double ffn = config.Ffn switch
        {
            "localvit" => t * d * h + BatchNormPerElement * t * h      // conv1, bn1
                + 9 * t * h + BatchNormPerElement * t * h              // dwconv, bn2
                + 2 * h * config.SeHidden                              // se.fc1, se.fc2 (once per image)
                + t * h * d + BatchNormPerElement * t * d,             // conv2, bn3
            "locality" => LayerNormPerElement * n * d + 2 * n * d * h + 9 * t * h,
            _ => LayerNormPerElement * n * d + 2 * n * d * h,
        };
        flops += config.Depth * (attention + ffn);
        flops += LayerNormPerElement * n * d;                        // final norm
        flops += d * c * (config.DistillationToken ? 2 : 1);          // head (+ head_dist)
        return flops;
    }

    private static int Square(int x) => x * x;
}

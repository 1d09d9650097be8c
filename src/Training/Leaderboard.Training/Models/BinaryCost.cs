namespace Leaderboard.Training.Models;

/// <summary>
/// Analytic parameters and operations of a BinaryViT (Le &amp; Li 2023) <see cref="ModelConfig"/>: the contract the trainer's
/// <c>BinaryVisionTransformer</c> is built to (names and shapes of <see cref="Parameters"/>).
/// <para>
/// <b>Layout.</b> Stage s (0-based) has width Dₛ = D·2ˢ, hₛ = h·2ˢ heads, Hₛ = ⌊Dₛ·mlp_ratio⌋ FFN units and a Gₛ×Gₛ grid,
/// G₀ = image/p, Gₛ₊₁ = Gₛ/2; Tₛ = Gₛ² tokens (no class token: the head pools on average).
/// patch_embed.proj [D₀, 3, p, p] + bias and patch_embed.norm (LayerNorm D₀), full precision; pos_embed [1, T₀, D₀] at the
/// model's image size (bicubically interpolated at other sizes).
/// stages.{s}.downsample (s ≥ 1): norm_in (LayerNorm Dₛ₋₁) → proj, a 2×2 stride-2 convolution [Dₛ, Dₛ₋₁, 2, 2] + bias, binary
/// unless full_precision_downsample → norm_out (LayerNorm Dₛ), plus a shortcut: the 2×2 average pool of norm_in's output,
/// its channels repeated Dₛ/Dₛ₋₁ times.
/// stages.{s}.blocks.{j}: norm1 → attn (qkv BinaryLinear Dₛ→3Dₛ; q and k binarised, scores q·kᵀ/√(Dₛ/hₛ), softmax, times v;
/// proj BinaryLinear Dₛ→Dₛ) → affine1 (scale, shift [Dₛ]) → residual add; norm2 → mlp (fc1 BinaryLinear Dₛ→Hₛ, GELU,
/// fc2 BinaryLinear Hₛ→Dₛ) → affine2 → residual add, together with the pooling branches: for each k of pool_kernels a k×1
/// and a 1×k average pool (stride 1, zero padding counted) of norm2's output over the grid, each through its own affine
/// (pool_h{k}, pool_w{k}: scale initialised 0, shift 0). Then norm (LayerNorm) and head (Linear) on the mean of the tokens.
/// </para>
/// <para>
/// <b>Operations</b> (one image, forward, multiply-add = 1, as <see cref="ModelCost"/>): <see cref="BinaryOps"/> are the
/// multiply-adds of binary × binary operands (binary linears and convolution, q·kᵀ); <see cref="FullPrecisionFlops"/> the
/// rest (stem, attn·v with full-precision probabilities, LayerNorms at 5 per element, head). The paper's OPs =
/// FLOPs + BOPs/64 (a 64-bit popcount does 64 binary multiply-adds).
/// </para>
/// </summary>
public static class BinaryCost
{
    /// <summary>Binary multiply-adds per OP: one 64-bit XNOR-popcount (the paper's OPs = FLOPs + BOPs/64).</summary>
    public const double BopsPerOp = 64;

    private const double LayerNormPerElement = 5;

    public static IReadOnlyList<ParameterShape> Parameters(ModelConfig config, int imageSize)
    {
        var b = Binary(config);
        int p = config.PatchSize, g = config.GridSize(imageSize);
        var list = new List<ParameterShape>();
        void Add(string name, params int[] shape) => list.Add(new ParameterShape(name, shape));
        void Linear(string name, int output, int input)
        {
            Add(name + ".weight", output, input);
            Add(name + ".bias", output);
        }
        void Pair(string name, int width, string first = "weight", string second = "bias")
        {
            Add($"{name}.{first}", width);
            Add($"{name}.{second}", width);
        }

        int d0 = config.EmbedDim;
        Add("patch_embed.proj.weight", d0, 3, p, p);
        Add("patch_embed.proj.bias", d0);
        Pair("patch_embed.norm", d0);
        Add("pos_embed", 1, g * g, d0);
        for (int s = 0; s < b.Stages; s++)
        {
            int d = BinaryConfig.StageWidth(config, s), h = BinaryConfig.StageHidden(config, s);
            string st = $"stages.{s}.";
            if (s > 0)
            {
                int din = BinaryConfig.StageWidth(config, s - 1);
                Pair(st + "downsample.norm_in", din);
                Add(st + "downsample.proj.weight", d, din, 2, 2);
                Add(st + "downsample.proj.bias", d);
                Pair(st + "downsample.norm_out", d);
            }
            for (int j = 0; j < b.Depths[s]; j++)
            {
                string bl = $"{st}blocks.{j}.";
                Pair(bl + "norm1", d);
                Linear(bl + "attn.qkv", 3 * d, d);
                Linear(bl + "attn.proj", d, d);
                Pair(bl + "affine1", d, "scale", "shift");
                Pair(bl + "norm2", d);
                Linear(bl + "mlp.fc1", h, d);
                Linear(bl + "mlp.fc2", d, h);
                Pair(bl + "affine2", d, "scale", "shift");
                foreach (int k in b.PoolKernels)
                {
                    Pair($"{bl}pool_h{k}", d, "scale", "shift");
                    Pair($"{bl}pool_w{k}", d, "scale", "shift");
                }
            }
        }
        int last = BinaryConfig.StageWidth(config, b.Stages - 1);
        Pair("norm", last);
        Linear("head", config.NumClasses, last);
        return list;
    }

    /// <summary>Full-precision multiply-adds of one image (see the class comment).</summary>
    public static double FullPrecisionFlops(ModelConfig config, int imageSize) => Count(config, imageSize).Flops;

    /// <summary>Binary multiply-adds of one image (binary weights × binary activations).</summary>
    public static double BinaryOps(ModelConfig config, int imageSize) => Count(config, imageSize).Bops;

    /// <summary>The paper's OPs: FLOPs + BOPs/64.</summary>
    public static double Ops(ModelConfig config, int imageSize)
    {
        var (flops, bops) = Count(config, imageSize);
        return flops + bops / BopsPerOp;
    }

    private static (double Flops, double Bops) Count(ModelConfig config, int imageSize)
    {
        var b = Binary(config);
        double p = config.PatchSize, g = config.GridSize(imageSize);
        double t = g * g, d0 = config.EmbedDim;
        double flops = t * d0 * 3 * p * p + LayerNormPerElement * t * d0, bops = 0;
        for (int s = 0; s < b.Stages; s++)
        {
            double d = BinaryConfig.StageWidth(config, s), h = BinaryConfig.StageHidden(config, s);
            if (s > 0)
            {
                double din = BinaryConfig.StageWidth(config, s - 1);
                flops += LayerNormPerElement * t * din;
                t /= 4;
                double conv = t * d * din * 4;
                if (b.FullPrecisionDownsample) flops += conv;
                else bops += conv;
                flops += LayerNormPerElement * t * d;
            }
            double blockFlops = 2 * LayerNormPerElement * t * d // norm1, norm2
                + t * t * d;                                    // attn·v (full-precision probabilities)
            double blockBops = t * d * 3 * d                    // qkv
                + t * t * d                                     // q·kᵀ (binary q, k)
                + t * d * d                                     // proj
                + 2 * t * d * h;                                // fc1, fc2
            flops += b.Depths[s] * blockFlops;
            bops += b.Depths[s] * blockBops;
        }
        double last = BinaryConfig.StageWidth(config, b.Stages - 1);
        flops += LayerNormPerElement * t * last + last * config.NumClasses; // norm, head
        return (flops, bops);
    }

    private static BinaryConfig Binary(ModelConfig config) =>
        config.Binary ?? throw new ArgumentException("not a BinaryViT config (model.binary is not set)", nameof(config));
}

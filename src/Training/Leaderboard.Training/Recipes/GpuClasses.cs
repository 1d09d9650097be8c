using System.Globalization;
using Leaderboard.Training.Models;

namespace Leaderboard.Training.Recipes;

/// <summary>
/// A class of GPU that GPU tracks may run on, for cost estimates: dense peak TFLOP/s by precision (null where the
/// hardware has no fast path for it, e.g. bf16 on Turing), the fraction of that peak our training loop is expected to
/// reach end to end, the images/s a node of the class can decode and augment (what caps small curriculum sizes), and
/// throughputs measured on it. <see cref="Source"/> says where the utilisation and ceiling come from (estimates until
/// measurements replace them).
/// </summary>
public sealed record GpuClass(string Name, double? Bf16Tflops, double Fp16Tflops, double Fp32Tflops, double Utilisation, double MaxImagesPerSecond, string Source)
{
    /// <summary>Images/s measured for a model, size, precision and batch on this class; used instead of the FLOP estimate.</summary>
    public IReadOnlyList<MeasuredThroughput> Measured { get; init; } = [];

    public double? Tflops(string precision) => precision switch
    {
        "bf16" => Bf16Tflops,
        "fp16" => Fp16Tflops,
        _ => Fp32Tflops,
    };
}

/// <summary>One measured training throughput: the model (<see cref="GpuClasses.ModelKey"/>), image size, precision, batch size.</summary>
public sealed record MeasuredThroughput(string Model, int ImageSize, string Precision, int BatchSize, double ImagesPerSecond, string Source);

/// <summary>The expected throughput and epochs of a recipe on one GPU class; <see cref="Measured"/> when every size was measured.</summary>
public sealed record GpuEstimate(string Gpu, double? ImagesPerSecond, double? ExpectedEpochs, bool Measured, string Basis);

/// <summary>
/// The per-GPU-class throughput table behind the cost estimate of GPU tracks. Peaks are the vendors' dense (no sparsity)
/// tensor-core figures. No GPU measurements of this trainer exist yet, so every row's utilisation is an estimate:
/// model-FLOPs utilisation of a small ViT trained eagerly in mixed precision, ≈ 0.25 on A100-class GPUs and lower on
/// H100-class ones, whose peak the small 384-wide matmuls of a ViT-S fill less. For scale, Beyer et al. 2022 trained
/// ViT-S/16 for 90 epochs in under 7 h on a TPUv3-8: at least 4.6k images/s, ≈ 0.3 of its 420 TFLOP/s.
/// The data-pipeline ceiling is an estimate too: ≈ 8k images/s, a node with ≈ 16 cores per GPU decoding and augmenting
/// ImageNet JPEGs at ≈ 500 images/s per core (<c>./lb bench data</c> measures a node). Add measured rows (<c>./lb bench
/// train</c> on the class) to <see cref="GpuClass.Measured"/> as they come.
/// </summary>
public static class GpuClasses
{
    private const string Estimated = "estimate: not yet measured on this platform";

    public static IReadOnlyList<GpuClass> All { get; } =
    [
        new("RTX 5000 16 GB (Turing, as in the benchmark paper)", null, 89.2, 11.2, 0.25, 8000, Estimated),
        new("A100 80 GB", 312, 312, 19.5, 0.25, 8000, Estimated),
        new("L40S 48 GB", 362, 362, 91.6, 0.25, 8000, Estimated),
        new("H100 SXM 80 GB", 989, 989, 66.9, 0.17, 8000, Estimated),
        new("H200 141 GB", 989, 989, 66.9, 0.17, 8000, Estimated),
    ];

    /// <summary>What determines a model's training cost, as a key of <see cref="MeasuredThroughput.Model"/>.</summary>
    public static string ModelKey(ModelConfig c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.EmbedDim}x{c.Depth}x{c.Heads} mlp{c.MlpRatio} p{c.PatchSize} c{c.NumClasses} {c.Ffn} {c.Tokenizer} {c.Attention} {c.Pooling} {c.PosEmbed}{(c.DistillationToken ? " dist" : "")}{(c.Binary is { } b ? $" binary{string.Join('-', b.Depths)}" : "")}");
}

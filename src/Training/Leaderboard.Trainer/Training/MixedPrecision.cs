namespace Leaderboard.Trainer.Training;

/// <summary>
/// Mixed precision without autocast (TorchSharp has none): inside <see cref="Enable"/>, the model's layers compute
/// matmuls, convolutions and attention in the low dtype (bf16 or fp16) from casts of the fp32 weights, while
/// normalisations take fp32 inputs, and weights, gradients, optimizer state, losses and reductions stay fp32: the split
/// PyTorch's autocast makes (Micikevicius et al. 2018, "Mixed Precision Training"). Outside a scope every call is the
/// plain fp32 operation. The scope is per thread (the training thread; autograd's backward needs none: the casts are
/// recorded in the graph and send fp32 gradients to the fp32 weights).
/// </summary>
public static class MixedPrecision
{
    [ThreadStatic] private static ScalarType? compute;

    /// <summary>The low dtype of the current scope; null = fp32 throughout.</summary>
    public static ScalarType? ComputeType => compute;

    /// <summary>The dtype of a recipe's <c>training.precision</c>: bf16, fp16, or null for fp32.</summary>
    public static ScalarType? FromRecipe(string precision) => precision switch
    {
        "bf16" => ScalarType.BFloat16,
        "fp16" => ScalarType.Float16,
        _ => null,
    };

    /// <summary>Computes in <paramref name="type"/> until disposed (null: fp32; scopes nest).</summary>
    public static Scope Enable(ScalarType? type)
    {
        var previous = compute;
        compute = type;
        return new Scope(previous);
    }

    /// <summary>An operand of a matmul / convolution / attention: in the compute dtype when a scope is on.</summary>
    public static Tensor Low(Tensor t) =>
        compute is ScalarType c && t.dtype == ScalarType.Float32 ? t.to(c) : t;

    /// <summary>The input of a normalisation or reduction: fp32 when a scope is on.</summary>
    public static Tensor Full(Tensor t) =>
        compute is not null && t.dtype is ScalarType.BFloat16 or ScalarType.Float16 ? t.to(ScalarType.Float32) : t;

    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias) =>
        nn.functional.linear(Low(input), Low(weight), bias is null ? null : Low(bias));

    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, long stride, long padding, long groups) =>
        nn.functional.conv2d(Low(input), Low(weight), bias is null ? null : Low(bias), [stride, stride], [padding, padding], groups: groups);

    /// <summary>Scaled dot-product attention (fused kernels: flash / memory-efficient on CUDA) on q, k, v in the compute dtype.</summary>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, Tensor? mask = null) =>
        nn.functional.scaled_dot_product_attention(Low(q), Low(k), Low(v), mask);

    public readonly struct Scope(ScalarType? previous) : IDisposable
    {
        public void Dispose() => compute = previous;
    }
}

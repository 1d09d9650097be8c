using Leaderboard.Trainer.Training;

namespace Leaderboard.Trainer.Models;

/// <summary>
/// The model's layers, with timm's parameter names and ViT initialisation (<c>init_weights_vit_timm</c>), computing
/// through <see cref="MixedPrecision"/>: Linear and Conv2d in the compute dtype, LayerNorm in fp32.
/// </summary>
public static class Layers
{
    public static Linear Linear(int input, int output, bool bias = true) => new(input, output, bias);

    public static LayerNorm LayerNorm(int width, double eps = 1e-6) => new(width, eps);

    public static Conv2d Conv2d(int input, int output, int kernel, int stride = 1, int padding = 0, int groups = 1, bool bias = true) =>
        new(input, output, kernel, stride, padding, groups, bias);

    /// <summary>PyTorch's BatchNorm2d (timm does not re-initialise it); its input is brought to fp32 by the caller.</summary>
    public static TorchSharp.Modules.BatchNorm2d BatchNorm2d(int features) => nn.BatchNorm2d(features);
}

/// <summary>y = x·Wᵀ + b. Weight truncated normal std .02 (timm's ViT), bias 0.</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public Linear(int input, int output, bool bias = true) : base("Linear")
    {
        weight = Init.Parameter([output, input]);
        Init.TruncNormal(weight, 0.02);
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = Init.Parameter([output]);
            register_parameter("bias", this.bias);
        }
    }

    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    /// <summary>PyTorch's own <c>nn.Linear</c> initialisation (kaiming-uniform, a = √5): weight and bias U(±1/√fan_in).</summary>
    public void ResetAsPyTorchDefault()
    {
        double bound = 1 / Math.Sqrt(weight.shape[1]);
        Init.Uniform(weight, bound);
        if (bias is not null) Init.Uniform(bias, bound);
    }

    /// <summary>Weight and bias 0 (a zero-initialised head, Beyer et al. 2022).</summary>
    public void ZeroInit()
    {
        using var ng = no_grad();
        weight.zero_();
        bias?.zero_();
    }

    public override Tensor forward(Tensor input) => MixedPrecision.Linear(input, weight, bias);
}

/// <summary>2-d convolution, square kernel; PyTorch's default init (kaiming-uniform, a = √5: U(±1/√fan_in) for weight and bias).</summary>
public sealed class Conv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long stride;
    private readonly long padding;
    private readonly long groups;

    public Conv2d(int input, int output, int kernel, int stride, int padding, int groups, bool bias) : base("Conv2d")
    {
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        double bound = 1 / Math.Sqrt((double)input / groups * kernel * kernel);
        weight = Init.Parameter([output, input / groups, kernel, kernel]);
        Init.Uniform(weight, bound);
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = Init.Parameter([output]);
            Init.Uniform(this.bias, bound);
            register_parameter("bias", this.bias);
        }
    }

    public Parameter Weight => weight;
    public Parameter? Bias => bias;

    public override Tensor forward(Tensor input) => MixedPrecision.Conv2d(input, weight, bias, stride, padding, groups);

    /// <summary>A depth-wise convolution (groups = channels) over the first <paramref name="channels"/> channels only.</summary>
    public Tensor ForwardDepthwise(Tensor input, long channels) =>
        MixedPrecision.Conv2d(input, weight.narrow(0, 0, channels), bias?.narrow(0, 0, channels), stride, padding, channels);
}

/// <summary>LayerNorm over the last dimension, weight 1, bias 0, computed in fp32.</summary>
public sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long[] shape;
    private readonly double eps;

    public LayerNorm(int width, double eps) : base("LayerNorm")
    {
        this.eps = eps;
        shape = [width];
        weight = Init.Parameter([width], 1);
        bias = Init.Parameter([width]);
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }

    public Parameter Weight => weight;
    public Parameter Bias => bias;
    public double Eps => eps;

    public override Tensor forward(Tensor input) => nn.functional.layer_norm(MixedPrecision.Full(input), shape, weight, bias, eps);
}

using Leaderboard.Trainer.Training;

namespace Leaderboard.Trainer.Models.Binary;

/// <summary>BinaryViT's binary Linear (Le &amp; Li 2023): binarised input and weights (<see cref="Binarize"/>), full-precision bias.
/// Weight truncated normal std .02 as timm's ViT (its scale is α's business), bias 0.</summary>
public sealed class BinaryLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public BinaryLinear(int input, int output) : base("BinaryLinear")
    {
        weight = Init.Parameter([output, input]);
        Init.TruncNormal(weight, 0.02);
        bias = Init.Parameter([output]);
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }

    /// <summary>PyTorch's <c>nn.Linear</c> initialisation, U(±1/√fan_in) for weight and bias (<c>model.init: torch</c>).</summary>
    public void ResetAsPyTorchDefault()
    {
        double bound = 1 / Math.Sqrt(weight.shape[1]);
        Init.Uniform(weight, bound);
        Init.Uniform(bias, bound);
    }

    public override Tensor forward(Tensor input) =>
        MixedPrecision.Linear(Binarize.Activations(input), Binarize.Weights(weight), bias);
}

/// <summary>A k×k convolution with stride k on binarised input and weights (each output channel a row), full-precision bias.</summary>
public sealed class BinaryConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long stride;

    public BinaryConv2d(int input, int output, int kernel) : base("BinaryConv2d")
    {
        stride = kernel;
        weight = Init.Parameter([output, input, kernel, kernel]);
        Init.TruncNormal(weight, 0.02);
        bias = Init.Parameter([output]);
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }

    public override Tensor forward(Tensor input) =>
        MixedPrecision.Conv2d(Binarize.Activations(input), Binarize.Weights(weight), bias, stride, 0, 1);
}

/// <summary>BinaryViT's affine transform before a residual add (Le &amp; Li 2023): x·scale + shift per channel.</summary>
public sealed class Affine : nn.Module<Tensor, Tensor>
{
    private readonly Parameter scale;
    private readonly Parameter shift;

    public Affine(int dim, double scaleInit) : base("Affine")
    {
        scale = Init.Parameter([dim], scaleInit);
        shift = Init.Parameter([dim]);
        register_parameter("scale", scale);
        register_parameter("shift", shift);
    }

    public override Tensor forward(Tensor input) => input * scale + shift;
}

/// <summary>Token layout helpers: [B, G·G, C] row-major tokens ⇄ [B, C, G, G] grids.</summary>
internal static class Grid
{
    public static long Side(Tensor tokens)
    {
        long n = tokens.shape[1], g = (long)Math.Round(Math.Sqrt(n));
        if (g * g != n) throw new ArgumentException($"{n} tokens do not form a square grid", nameof(tokens));
        return g;
    }

    public static Tensor ToGrid(Tensor tokens, long side) => tokens.transpose(1, 2).reshape(tokens.shape[0], tokens.shape[2], side, side);

    public static Tensor ToTokens(Tensor grid) => grid.flatten(2).transpose(1, 2);
}

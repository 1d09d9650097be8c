namespace Leaderboard.Trainer.Models;

/// <summary>
/// Initialisers drawing from libtorch's default generator (seeded with the run's seed by <c>manual_seed</c>), so a
/// seed gives the same model. Our own truncated normal: TorchSharp's <c>nn.init.trunc_normal_</c> fills the constant
/// std and ignores the generator. Truncation as timm's <c>trunc_normal_</c>: at ±2, absolute (≈ ±100 σ at std .02,
/// so in effect a plain normal, as timm's ViT gets).
/// </summary>
public static class Init
{
    public static void TruncNormal(Tensor t, double std = 0.02)
    {
        using var ng = no_grad();
        using var scope = NewDisposeScope();
        t.copy_(randn(t.shape, t.dtype, t.device).mul_(std).clamp_(-2, 2));
    }

    public static void Normal(Tensor t, double std)
    {
        using var ng = no_grad();
        using var scope = NewDisposeScope();
        t.copy_(randn(t.shape, t.dtype, t.device).mul_(std));
    }

    /// <summary>U(−bound, bound).</summary>
    public static void Uniform(Tensor t, double bound)
    {
        using var ng = no_grad();
        using var scope = NewDisposeScope();
        t.copy_(rand(t.shape, t.dtype, t.device).mul_(2 * bound).sub_(bound));
    }

    /// <summary>A new fp32 parameter of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Parameter Parameter(long[] shape, double value = 0)
    {
        using var data = full(shape, value, ScalarType.Float32);
        return new Parameter(data);
    }
}

namespace Leaderboard.Trainer.Models.Binary;

/// <summary>
/// The binarisers of BinaryViT (Le &amp; Li 2023), as autograd-correct tensor expressions: the forward value is the binary
/// one exactly (value + (g − g.detach()) adds an exact 0), the gradient is that of the surrogate g. (TorchSharp 0.107 has
/// custom autograd functions too; these expressions give the same gradients without managed callbacks in backward.)
/// </summary>
public static class Binarize
{
    /// <summary>
    /// Activations: sign (0 → +1), with Bi-Real Net's piecewise-polynomial straight-through estimator (Liu et al. 2018):
    /// the surrogate F(x) = 2x − x|x| on |x| &lt; 1 (±1 outside) has gradient 2 − 2|x| inside and 0 outside.
    /// </summary>
    public static Tensor Activations(Tensor x)
    {
        var c = x.clamp(-1, 1);
        var surrogate = c.mul(2).sub(c.mul(c.abs()));
        return Sign(x) + (surrogate - surrogate.detach());
    }

    /// <summary>
    /// Weights [out, …]: each row (output unit) centred to zero mean, then α·sign with α = mean |centred row|, detached
    /// (XNOR-Net's scale, Rastegari et al. 2016); the gradient passes straight through the clip to [−1, 1] of the centred
    /// weight (and through the centring), 0 where it is clipped.
    /// </summary>
    public static Tensor Weights(Tensor w)
    {
        var rows = w.reshape(w.shape[0], -1);
        var centred = rows - rows.mean([1L], keepdim: true);
        var alpha = centred.abs().mean([1L], keepdim: true).detach();
        var clipped = centred.clamp(-1, 1);
        var binary = Sign(centred.detach()).mul(alpha);
        return (binary + (clipped - clipped.detach())).reshape(w.shape);
    }

    /// <summary>+1 where x ≥ 0, −1 elsewhere (no gradient).</summary>
    private static Tensor Sign(Tensor x) => x.ge(0).to(x.dtype).mul(2).sub(1);
}

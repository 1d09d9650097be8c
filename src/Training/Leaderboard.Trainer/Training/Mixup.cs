
namespace Leaderboard.Trainer.Training;

/// <summary>
/// Mixup (Zhang et al. 2018) and CutMix (Yun et al. 2019) on the batch tensor, as timm's <c>Mixup</c> in batch mode:
/// with both on, CutMix is chosen with probability <c>switch_prob</c>; λ ~ Beta(α, α); each image is mixed with the
/// batch reversed; CutMix pastes a box of area 1 − λ and λ is corrected to the box actually pasted. Targets become
/// label-smoothed one-hot vectors mixed by the same λ (off = ε/C, on = 1 − ε + ε/C), trained with soft-target
/// cross-entropy. All randomness comes from the seeded <see cref="Random"/> given.
/// </summary>
public sealed class Mixup(double mixupAlpha, double cutmixAlpha, double switchProb, double labelSmoothing, int numClasses)
{
    public bool Enabled => mixupAlpha > 0 || cutmixAlpha > 0;

    /// <summary>Mixes <paramref name="images"/> [B, 3, H, W] in place; returns the soft targets [B, C].</summary>
    public Tensor Apply(Tensor images, Tensor labels, Random rng)
    {
        bool cutmix = cutmixAlpha > 0 && (mixupAlpha <= 0 || rng.NextDouble() < switchProb);
        double lam = Beta(rng, cutmix ? cutmixAlpha : mixupAlpha);
        using var ng = no_grad();
        var flipped = images.flip(0);
        if (cutmix)
        {
            long h = images.shape[2], w = images.shape[3];
            double cut = Math.Sqrt(1 - lam);
            long ch = (long)(h * cut), cw = (long)(w * cut);
            long cy = rng.NextInt64(h), cx = rng.NextInt64(w);
            long y0 = Math.Clamp(cy - ch / 2, 0, h), y1 = Math.Clamp(cy + ch / 2, 0, h);
            long x0 = Math.Clamp(cx - cw / 2, 0, w), x1 = Math.Clamp(cx + cw / 2, 0, w);
            if (y1 > y0 && x1 > x0)
                images.slice(2, y0, y1, 1).slice(3, x0, x1, 1).copy_(flipped.slice(2, y0, y1, 1).slice(3, x0, x1, 1));
            lam = 1 - (double)((y1 - y0) * (x1 - x0)) / (h * w);
        }
        else
        {
            images.mul_(lam).add_(flipped, alpha: 1 - lam);
        }
        var y = SmoothOneHot(labels, numClasses, labelSmoothing, images.device);
        return y.mul(lam).add_(y.flip(0), alpha: 1 - lam);
    }

    /// <summary>[B] class indices → [B, C] with off = ε/C and on = 1 − ε + ε/C.</summary>
    public static Tensor SmoothOneHot(Tensor labels, int classes, double smoothing, Device device)
    {
        double off = smoothing / classes, on = 1 - smoothing + off;
        using var eye = torch.eye(classes, dtype: ScalarType.Float32, device: device);
        return eye.index_select(0, labels).mul_(on - off).add_(off);
    }

    /// <summary>Beta(α, α) from two Gamma(α) draws (Marsaglia &amp; Tsang 2000).</summary>
    public static double Beta(Random rng, double alpha)
    {
        double a = Gamma(rng, alpha), b = Gamma(rng, alpha);
        return a + b > 0 ? a / (a + b) : 0.5;
    }

    private static double Gamma(Random rng, double shape)
    {
        if (shape < 1) return Gamma(rng, shape + 1) * Math.Pow(rng.NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(rng);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}

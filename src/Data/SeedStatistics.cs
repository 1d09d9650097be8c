namespace Leaderboard.Data;

/// <summary>
/// Student's t-distribution: its CDF through the regularized incomplete beta function, its quantile by bisection on the
/// CDF. Real (not only integer) degrees of freedom, for Welch's test.
/// </summary>
public static class StudentT
{
    /// <summary>P(T ≤ t) for T ~ t(<paramref name="degreesOfFreedom"/>).</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        if (double.IsPositiveInfinity(t)) return 1;
        if (double.IsNegativeInfinity(t)) return 0;
        // P(|T| > |t|) = I_x(ν/2, 1/2) with x = ν / (ν + t²).
        var tail = TwoSidedPValue(t, degreesOfFreedom) / 2;
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>P(|T| ≥ |t|): the two-sided p-value of a t statistic.</summary>
    public static double TwoSidedPValue(double t, double degreesOfFreedom) =>
        RegularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);

    /// <summary>The t with P(T ≤ t) = <paramref name="p"/>, to about 1e-10 relative.</summary>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        if (p is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "A probability strictly between 0 and 1.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        if (p < 0.5) return -Quantile(1 - p, degreesOfFreedom);
        double low = 0, high = 1;
        while (Cdf(high, degreesOfFreedom) < p) high *= 2;
        for (var i = 0; i < 200 && high - low > 1e-12 * high; i++)
        {
            var mid = (low + high) / 2;
            if (Cdf(mid, degreesOfFreedom) < p) low = mid;
            else high = mid;
        }
        return (low + high) / 2;
    }

    /// <summary>I_x(a, b) by its continued fraction (modified Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster.</summary>
    internal static double RegularizedIncompleteBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(x, a, b) / a
            : 1 - front * BetaContinuedFraction(1 - x, b, a) / b;
    }

    private static double BetaContinuedFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        var h = d;
        for (var m = 1; m <= 1000; m++)
        {
            // Even step, then odd step of the continued fraction.
            var even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + even * d; d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + even / c; if (Math.Abs(c) < tiny) c = tiny;
            h *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + odd * d; d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + odd / c; if (Math.Abs(c) < tiny) c = tiny;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15) break;
        }
        return h;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos approximation, g = 7, n = 9; ~1e-15 relative).</summary>
    internal static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++) sum += coefficients[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}

/// <summary>The top-1 of a submission's seed runs: n, mean, sample standard deviation and the 95 % confidence interval of the mean.</summary>
public sealed record SeedSummary(int N, double Mean, double? StdDev)
{
    public const double Confidence = 0.95;

    /// <summary>
    /// Half the width of the two-sided 95 % interval of the mean, t(0.975, n − 1) · s / √n; null for a single seed (no
    /// spread to estimate).
    /// </summary>
    public double? Ci95HalfWidth => N >= 2 && StdDev is { } s ? StudentT.Quantile(1 - (1 - Confidence) / 2, N - 1) * s / Math.Sqrt(N) : null;

    /// <summary>
    /// Welch's two-sided t-test of equal means against another submission (unequal variances, Welch–Satterthwaite degrees
    /// of freedom): the p-value, or null when either side has a single seed (no variance to test with).
    /// </summary>
    public double? WelchPValue(SeedSummary other)
    {
        if (N < 2 || other.N < 2 || StdDev is not { } s1 || other.StdDev is not { } s2) return null;
        var v1 = s1 * s1 / N;
        var v2 = s2 * s2 / other.N;
        var difference = Math.Abs(Mean - other.Mean);
        if (v1 + v2 == 0) return difference == 0 ? 1 : 0;
        var t = difference / Math.Sqrt(v1 + v2);
        var degreesOfFreedom = (v1 + v2) * (v1 + v2) / (v1 * v1 / (N - 1) + v2 * v2 / (other.N - 1));
        return StudentT.TwoSidedPValue(t, degreesOfFreedom);
    }
}

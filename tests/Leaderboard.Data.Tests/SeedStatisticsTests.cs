namespace Leaderboard.Data.Tests;

/// <summary>The t-distribution, the 95 % interval and Welch's test against published table values.</summary>
public sealed class SeedStatisticsTests
{
    [Theory]
    // Two-sided 95 % critical values of Student's t (any statistics table).
    [InlineData(0.975, 1, 12.706)]
    [InlineData(0.975, 2, 4.303)]
    [InlineData(0.975, 3, 3.182)]
    [InlineData(0.975, 4, 2.776)]
    [InlineData(0.975, 9, 2.262)]
    [InlineData(0.975, 29, 2.045)]
    [InlineData(0.975, 120, 1.980)]
    [InlineData(0.95, 10, 1.812)]
    [InlineData(0.995, 5, 4.032)]
    public void The_t_quantile_matches_the_table(double p, double degreesOfFreedom, double expected)
    {
        Assert.Equal(expected, StudentT.Quantile(p, degreesOfFreedom), 3);
        Assert.Equal(-expected, StudentT.Quantile(1 - p, degreesOfFreedom), 3);
        Assert.Equal(p, StudentT.Cdf(StudentT.Quantile(p, degreesOfFreedom), degreesOfFreedom), 9);
    }

    [Fact]
    public void The_cdf_is_symmetric_around_zero_and_matches_the_cauchy_case()
    {
        Assert.Equal(0.5, StudentT.Cdf(0, 7), 12);
        Assert.Equal(1, StudentT.Cdf(1.3, 4) + StudentT.Cdf(-1.3, 4), 12);
        // One degree of freedom is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
        Assert.Equal(0.5 + Math.Atan(3) / Math.PI, StudentT.Cdf(3, 1), 12);
    }

    [Fact]
    public void The_interval_of_three_seeds_is_t_times_the_standard_error()
    {
        // 60, 62, 64: mean 62, s = 2, half-width t(0.975, 2) · 2 / √3 = 4.303 · 1.1547 = 4.968.
        var summary = new SeedSummary(3, 62, 2);

        Assert.Equal(4.968, summary.Ci95HalfWidth!.Value, 3);
        Assert.Null(new SeedSummary(1, 62, null).Ci95HalfWidth);
    }

    [Fact]
    public void Welch_gives_the_tables_p_value_at_the_critical_t()
    {
        // Equal n (5) and s (1): Welch's dof is 2 (n − 1) = 8, and t(0.975, 8) = 2.306, t(0.995, 8) = 3.355.
        var standardError = Math.Sqrt(2.0 / 5);
        var upper = new SeedSummary(5, 70, 1);

        Assert.Equal(0.05, upper.WelchPValue(new SeedSummary(5, 70 - 2.306 * standardError, 1))!.Value, 4);
        Assert.Equal(0.01, upper.WelchPValue(new SeedSummary(5, 70 - 3.355 * standardError, 1))!.Value, 4);
        Assert.Equal(1, upper.WelchPValue(upper)!.Value, 12);
    }

    [Fact]
    public void Welch_handles_unequal_variances()
    {
        // Two classic samples of 15 (Wikipedia, "Welch's t-test", example 2): t = −2.46, ν ≈ 25.0, p = 0.021.
        double[] a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
        double[] b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

        Assert.Equal(0.021, Summary(a).WelchPValue(Summary(b))!.Value, 3);
    }

    [Fact]
    public void A_single_seed_cannot_be_tested()
    {
        Assert.Null(new SeedSummary(1, 70, null).WelchPValue(new SeedSummary(3, 60, 1)));
        Assert.Null(new SeedSummary(3, 60, 1).WelchPValue(new SeedSummary(1, 70, null)));
    }

    private static SeedSummary Summary(double[] values)
    {
        var mean = values.Average();
        return new SeedSummary(values.Length, mean, Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Length - 1)));
    }
}

using Leaderboard.Trainer.Training;

namespace Leaderboard.Trainer.Tests.Training;

/// <summary>The epoch time the pre-flight judges a recipe by, from the rates at the curriculum's first and final size.</summary>
public sealed class PreflightEstimateTests
{
    [Fact]
    public void Without_a_curriculum_an_epoch_takes_the_images_over_the_rate()
    {
        var estimate = new PreflightEstimate(new CurriculumPlan(224, 1, double.PositiveInfinity, 224), new Dictionary<int, double> { [224] = 41 }, 1_281_167, 6 * 3600);
        Assert.Equal(1_281_167 / 41.0, estimate.SecondsFor(1), 6);
        Assert.Equal(3 * 1_281_167 / 41.0, estimate.SecondsFor(3), 6);
    }

    [Fact]
    public void A_budget_curriculum_averages_the_rates_of_its_segments_over_the_budget()
    {
        // 32 px for the first half of the budget, 64 px for the second.
        var plan = new CurriculumPlan(32, 32, 0.5, 64);
        var estimate = new PreflightEstimate(plan, new Dictionary<int, double> { [32] = 400, [64] = 100 }, 1000, 100);
        // The budget trains 50 s × 400 + 50 s × 100 = 25,000 images: 250 images/s on average.
        Assert.Equal(4.0, estimate.SecondsFor(1), 6);
    }

    [Fact]
    public void An_epoch_curriculum_takes_each_epoch_at_its_own_sizes_and_interpolates_between_the_measured_ones()
    {
        // 32 → 64 → 96 px every epoch; 48 px is never measured: seconds per image are interpolated in pixel count.
        var plan = new CurriculumPlan(32, 32, 1, 96, "epochs");
        var estimate = new PreflightEstimate(plan, new Dictionary<int, double> { [32] = 800, [96] = 100 }, 800, 3600);
        double at64 = estimate.RateAt(64);
        double expected64 = 1 / (1 / 800.0 + (64.0 * 64 - 32 * 32) / (96.0 * 96 - 32 * 32) * (1 / 100.0 - 1 / 800.0));
        Assert.Equal(expected64, at64, 6);
        Assert.Equal(1.0, estimate.SecondsFor(1), 6);
        Assert.Equal(1.0 + 800 / at64 + 8.0, estimate.SecondsFor(3), 6);
    }

    [Fact]
    public void Nothing_measured_means_no_epoch_fits()
    {
        var estimate = new PreflightEstimate(new CurriculumPlan(64, 1, double.PositiveInfinity, 64), new Dictionary<int, double> { [64] = 0 }, 100, 60);
        Assert.Equal(double.PositiveInfinity, estimate.SecondsFor(1));
    }
}

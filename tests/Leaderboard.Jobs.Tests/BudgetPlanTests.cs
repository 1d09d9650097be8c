using Leaderboard.Data.Entities;

namespace Leaderboard.Jobs.Tests;

/// <summary>How a track's budget mode becomes an attempt's deadline, CPU limit and the trainer's budget options.</summary>
public sealed class BudgetPlanTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static Track Track(string mode, int budget = 3600, double? reference = null) =>
        new() { Slug = "t", Name = "t", Dataset = "d", Hardware = "gpu", BudgetSeconds = budget, BudgetMode = mode, ReferenceScore = reference };

    [Fact]
    public void A_calibrated_budget_gives_a_node_twice_as_fast_as_the_reference_half_the_wall_time()
    {
        var (plan, refusal) = BudgetPlan.Create(Track("calibrated", reference: 400), nodeScore: 800, Start, spent: 0);

        Assert.Null(refusal);
        Assert.Equal(2, plan!.Speed);
        Assert.Equal(Start + TimeSpan.FromSeconds(1800), plan.Deadline);
        Assert.Null(plan.CpuLimit);
        Assert.Equal(["--budget", "3600", "--deadline", "2026-12-01T12:30:00.0000000Z", "--budget-mode", "calibrated", "--speed", "2"], plan.TrainerArguments());
    }

    [Fact]
    public void A_calibrated_budget_gives_a_slower_node_more_wall_time_and_a_resumed_attempt_only_what_is_left()
    {
        var (plan, _) = BudgetPlan.Create(Track("calibrated", reference: 400), nodeScore: 100, Start, spent: 600);

        Assert.Equal(0.25, plan!.Speed);
        // 3000 reference seconds left at a quarter of the reference's speed.
        Assert.Equal(Start + TimeSpan.FromSeconds(12_000), plan.Deadline);
    }

    [Fact]
    public void A_cpu_time_budget_limits_the_trainers_CPU_seconds_under_a_generous_wall_clock_cap()
    {
        var (plan, _) = BudgetPlan.Create(Track("cpu-time", budget: 120), nodeScore: null, Start, spent: 20);

        Assert.Equal(100, plan!.CpuLimit);
        Assert.Equal(Start + TimeSpan.FromSeconds(400), plan.Deadline);
        Assert.Equal(["--budget", "120", "--deadline", "2026-12-01T12:06:40.0000000Z", "--budget-mode", "cpu-time"], plan.TrainerArguments());
    }

    [Fact]
    public void A_wall_budget_is_the_remaining_seconds_from_the_start()
    {
        var (plan, _) = BudgetPlan.Create(Track("wall", budget: 120), nodeScore: 55, Start, spent: 0);

        Assert.Equal((Start + TimeSpan.FromSeconds(120), 1.0, (double?)null), (plan!.Deadline, plan.Speed, plan.CpuLimit));
    }

    [Theory]
    [InlineData(null, 800.0, "reference score")]
    [InlineData(400.0, null, "no calibration score")]
    public void A_calibrated_budget_without_both_scores_is_refused_with_what_to_fix(double? reference, double? node, string expected)
    {
        var (plan, refusal) = BudgetPlan.Create(Track("calibrated", reference: reference), node, Start, spent: 0);

        Assert.Null(plan);
        Assert.Contains(expected, refusal);
    }
}

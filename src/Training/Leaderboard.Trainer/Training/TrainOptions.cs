using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

/// <summary>What <c>train</c> was asked to do.</summary>
public sealed record TrainOptions
{
    public required Recipe Recipe { get; init; }
    public required string Dataset { get; init; }
    public required double BudgetSeconds { get; init; }
    public required string OutDir { get; init; }
    public string Device { get; init; } = "cpu";
    public string? Resume { get; init; }
    /// <summary>The teacher's checkpoint when the recipe distils (the platform provides the teacher run's).</summary>
    public string? Teacher { get; init; }
    /// <summary>Loader worker threads (default: all cores).</summary>
    public int? LoaderThreads { get; init; }
    /// <summary>Seconds between step progress lines.</summary>
    public double ProgressInterval { get; init; } = 1.5;
    /// <summary>Held-back evaluations per budget (evenly spaced), plus one at the end.</summary>
    public int EvalsPerBudget { get; init; } = 10;
    /// <summary>Stop after this many steps (tests and benchmarks); null = until the deadline.</summary>
    public long? MaxSteps { get; init; }
    /// <summary>A cpu-time run's wall-clock cap (the worker's): the loop also stops in time to checkpoint before it.</summary>
    public DateTimeOffset? WallCap { get; init; }
    /// <summary>Called after every step with the step count (tests watch memory with it).</summary>
    public Action<long>? AfterStep { get; init; }
}

namespace Leaderboard.Data.Entities;

/// <summary>A benchmark track: fixes the dataset, the wall-clock budget, the hardware class and the rules version.</summary>
public sealed class Track
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>Dataset key; the worker resolves it to a folder (ImageFolder layout) through its configuration.</summary>
    public required string Dataset { get; set; }
    public int NumClasses { get; set; }
    public int TrainImages { get; set; }
    public int BudgetSeconds { get; set; }
    /// <summary>cpu | gpu: the hardware class, which is also the Hangfire queue its runs go to (served only by nodes of that class).</summary>
    public required string Hardware { get; set; }
    /// <summary>Dense TFLOP/s of the reference hardware, for cost estimates before anything is queued.</summary>
    public double ReferenceTflops { get; set; }
    public int MaxImageSize { get; set; } = 512;
    /// <summary>The most seeds one submission may ask for (each seed is a run of the full budget).</summary>
    public int MaxSeeds { get; set; } = 3;
    public string RulesVersion { get; set; } = "1";
    /// <summary>
    /// What the budget counts (Leaderboard.Training.Progress.BudgetModes): "wall" seconds, "cpu-time" (the trainer's CPU
    /// seconds, a noisy neighbour cannot eat them) or "calibrated" (wall seconds scaled by the node's calibration score
    /// relative to <see cref="ReferenceScore"/>).
    /// </summary>
    public string BudgetMode { get; set; } = "wall";
    /// <summary>The calibration score (reference workload, images/s) of the track's reference hardware: calibrated mode needs it.</summary>
    public double? ReferenceScore { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>
    /// Bumped by a database trigger whenever the track's ranking may have changed (a result, a run's completion, a
    /// submission edited or removed), with a NOTIFY on <c>leaderboard_changed</c>: the site's page cache and ETags key on it.
    /// </summary>
    public long LeaderboardVersion { get; set; }

    public List<Submission> Submissions { get; set; } = [];
    public List<ReportedResult> ReportedResults { get; set; } = [];
}

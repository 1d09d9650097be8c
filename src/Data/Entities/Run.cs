namespace Leaderboard.Data.Entities;

public enum RunStatus
{
    Queued,
    Running,
    Evaluating,
    Completed,
    Failed,
    Cancelled,
    BudgetExceeded,
}

/// <summary>Whose fault a failed run is: its own (not retried) or the platform's (re-queued automatically up to the attempt cap).</summary>
public enum FailureClass
{
    User,
    Platform,
}

/// <summary>One training of a submission under its track's budget, then its evaluation.</summary>
public sealed class Run
{
    public long Id { get; set; }
    public long SubmissionId { get; set; }
    public Submission Submission { get; set; } = null!;
    public RunStatus Status { get; set; }
    /// <summary>
    /// The seed this run trains with: a submission of n seeds has runs with the recipe's seed, seed + 1, …, seed + n − 1;
    /// a re-run repeats the seed of the run it re-runs. The first completed run of each seed is the submission's sample
    /// for that seed; later completed runs of the same seed are verifications (<see cref="LeaderboardQueries"/>).
    /// </summary>
    public long Seed { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>Start + budget: only a checkpoint written before it counts.</summary>
    public DateTimeOffset? Deadline { get; set; }
    /// <summary>
    /// When the training is expected to end, from the pre-flight's measured throughput: the deadline, or earlier when the
    /// recipe trains a number of epochs that finish sooner. The queue frees the run's slot then.
    /// </summary>
    public DateTimeOffset? ExpectedFinish { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>Set with a failure; also on a run re-queued after a platform fault (with the reason saying so).</summary>
    public FailureClass? FailureClass { get; set; }
    /// <summary>The worker node (its node row's name) running or last running it.</summary>
    public string? Worker { get; set; }
    /// <summary>
    /// The attempt now owning the run (the fencing token): a worker writes the run's state only while it still holds
    /// the attempt it started, so a worker cut off by a partition cannot record over its successor.
    /// </summary>
    public int Attempt { get; set; }
    /// <summary>The Hangfire job executing it (deleted to cancel the run).</summary>
    public string? JobId { get; set; }
    public bool CancelRequested { get; set; }
    public string? CheckpointPath { get; set; }

    // The latest progress, denormalised from the metrics for list pages.
    public double? Elapsed { get; set; }
    public long? Step { get; set; }
    public double? Epoch { get; set; }
    public int? ImageSize { get; set; }
    public double? Loss { get; set; }
    public double? ImagesPerSecond { get; set; }

    /// <summary>PostgreSQL's xmin: the worker and a cancel can change a run at once; the later save retries instead of overwriting.</summary>
    public uint Version { get; set; }

    public Result? Result { get; set; }
    public List<RunMetric> Metrics { get; set; } = [];

    public bool IsFinished => Status is RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled or RunStatus.BudgetExceeded;
}

using System.Text.Json;

namespace Leaderboard.Training.Progress;

/// <summary>Training throughput measured by the pre-flight at one image size.</summary>
public sealed record PreflightSize
{
    public required int ImageSize { get; init; }
    public required int BatchSize { get; init; }
    /// <summary>Timed steps (after the warm-up step).</summary>
    public required int Steps { get; init; }
    public required double ImagesPerSecond { get; init; }
    public double? Loss { get; init; }
}

/// <summary>
/// The one JSON line <c>lb-trainer preflight</c> prints (<c>event: preflight</c>): whether the recipe can spend its budget
/// on this node — it builds, a few training steps at the curriculum's first and final image size fit in memory, keep
/// a finite loss, and run fast enough to finish one epoch of the train split within the budget — with the numbers
/// measured. The worker fails a run whose pre-flight did not pass as the user's fault, with <see cref="Reason"/>.
/// </summary>
public sealed record PreflightReport
{
    public const string EventName = "preflight";
    public const string OutOfMemory = "out-of-memory";
    public const string NonFiniteLoss = "non-finite-loss";
    public const string TooSlow = "too-slow";

    public string Event { get; init; } = EventName;
    public required bool Passed { get; init; }
    /// <summary>Why it did not pass: <see cref="OutOfMemory"/> | <see cref="NonFiniteLoss"/> | <see cref="TooSlow"/>; null when it passed.</summary>
    public string? Failure { get; init; }
    /// <summary>One sentence with the measured numbers (a failure's reason, or the summary of a pass).</summary>
    public required string Reason { get; init; }
    public required IReadOnlyList<PreflightSize> Sizes { get; init; }
    /// <summary>Images in one epoch of the training split (what the trainer trains on).</summary>
    public required long TrainImages { get; init; }
    public required double BudgetSeconds { get; init; }
    /// <summary>
    /// What the rates and times count: <c>wall</c> seconds, or <c>cpu</c> seconds of the trainer process (for a CPU-time
    /// budget: <see cref="PreflightSize.ImagesPerSecond"/> is then images per CPU-second).
    /// </summary>
    public string Clock { get; init; } = "wall";
    /// <summary>Seconds one epoch takes at the measured rates (following the curriculum); null when nothing was measured.</summary>
    public double? EpochSeconds { get; init; }
    /// <summary>
    /// Seconds the training is expected to take: the budget, or less when the recipe trains a number of epochs that the
    /// measured rates finish sooner. Null when nothing was measured.
    /// </summary>
    public double? ExpectedTrainSeconds { get; init; }
    /// <summary>Wall-clock seconds the pre-flight itself took (not charged to the budget).</summary>
    public required double Seconds { get; init; }

    public string ToJsonLine() => JsonSerializer.Serialize(this, ProgressEvent.JsonOptions);

    /// <summary>Parses the report line; null for any other line.</summary>
    public static PreflightReport? TryParse(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line[0] != '{' || !line.Contains("\"preflight\"", StringComparison.Ordinal)) return null;
        try
        {
            var report = JsonSerializer.Deserialize<PreflightReport>(line, ProgressEvent.JsonOptions);
            return report?.Event == EventName ? report : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Globalization;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Progress;

namespace Leaderboard.Jobs;

/// <summary>
/// How one attempt of a run spends its track's budget (<see cref="BudgetModes"/>), as the worker enforces it and the
/// trainer plans by it: the wall-clock deadline (a cpu-time run's generous cap), the CPU seconds the trainer's process
/// tree may use (cpu-time), and the node's speed relative to the track's reference hardware (calibrated).
/// </summary>
/// <param name="Remaining">Budget seconds this attempt has, in the mode's measure (the budget less what a resumed checkpoint spent).</param>
/// <param name="Speed">Reference seconds per wall second on this node (calibrated; 1 otherwise).</param>
public sealed record BudgetPlan(string Mode, int BudgetSeconds, double Remaining, double Speed, DateTimeOffset Deadline)
{
    /// <summary>The CPU seconds the trainer may use (cpu-time); null when the budget is wall time.</summary>
    public double? CpuLimit => Mode == BudgetModes.CpuTime ? Remaining : null;

    /// <summary>
    /// The plan for an attempt starting at <paramref name="start"/> with <paramref name="spent"/> budget seconds already
    /// used; null with the reason when the track's mode cannot be honoured on this node (an operator's fix, not the recipe's).
    /// </summary>
    public static (BudgetPlan? Plan, string? Refusal) Create(Track track, double? nodeScore, DateTimeOffset start, double spent)
    {
        var remaining = Math.Max(0, track.BudgetSeconds - spent);
        switch (track.BudgetMode)
        {
            case BudgetModes.Wall:
                return (new(BudgetModes.Wall, track.BudgetSeconds, remaining, 1, start + TimeSpan.FromSeconds(remaining)), null);
            case BudgetModes.CpuTime:
                return (new(BudgetModes.CpuTime, track.BudgetSeconds, remaining, 1,
                    start + TimeSpan.FromSeconds(remaining * BudgetModes.CpuTimeWallCapFactor)), null);
            case BudgetModes.Calibrated:
                if (track.ReferenceScore is not > 0)
                    return (null, $"the track {track.Slug} counts calibrated time but has no reference score (tracks.reference_score): an administrator must set it.");
                if (nodeScore is not > 0)
                    return (null, "this node has no calibration score yet (Worker__CalibrationHours 0 disables calibration, or its reference workload failed: see the worker's log).");
                var speed = nodeScore.Value / track.ReferenceScore.Value;
                return (new(BudgetModes.Calibrated, track.BudgetSeconds, remaining, speed, start + TimeSpan.FromSeconds(remaining / speed)), null);
            default:
                return (null, $"the track {track.Slug} has an unknown budget mode '{track.BudgetMode}' (one of {string.Join(", ", BudgetModes.All)}).");
        }
    }

    /// <summary>The trainer's budget options: --budget (the whole budget, in the mode's measure), --deadline, --budget-mode [--speed].</summary>
    public IEnumerable<string> TrainerArguments()
    {
        var invariant = CultureInfo.InvariantCulture;
        yield return "--budget";
        yield return BudgetSeconds.ToString(invariant);
        yield return "--deadline";
        yield return Deadline.UtcDateTime.ToString("O", invariant);
        yield return "--budget-mode";
        yield return Mode;
        if (Mode != BudgetModes.Calibrated) yield break;
        yield return "--speed";
        yield return Speed.ToString("R", invariant);
    }

    /// <summary>For log lines and failure reasons: "120 s of CPU time", "86400 s of wall time", "3600 reference s (node at 1.3×)".</summary>
    public string Describe() => Mode switch
    {
        BudgetModes.CpuTime => $"{BudgetSeconds} s of CPU time (wall-clock cap {BudgetModes.CpuTimeWallCapFactor:0.#}× the budget)",
        BudgetModes.Calibrated => $"{BudgetSeconds} reference s (this node at {Speed:0.###}× the reference: {BudgetSeconds / Speed:0} s of wall time)",
        _ => $"{BudgetSeconds} s of wall time",
    };
}

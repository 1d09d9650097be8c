using System.Diagnostics;
using Leaderboard.Training.Progress;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// Writes the progress protocol (<see cref="ProgressEvent"/>, one JSON line each) and owns the run's clock: elapsed =
/// budget seconds spent by this trainer (<see cref="BudgetClock"/>) plus those carried over from a resumed checkpoint.
/// </summary>
public sealed class ProgressWriter(TextWriter output, BudgetClock? budgetClock = null)
{
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private readonly Lock gate = new();

    public BudgetClock Clock { get; } = budgetClock ?? BudgetClock.Wall();

    public double ElapsedOffset { get; set; }

    /// <summary>Budget seconds of the run so far (across resumes), in the budget's mode.</summary>
    public double Elapsed => ElapsedOffset + Clock.Seconds;

    /// <summary>Wall seconds since this process started training (throughput, wall-clock caps).</summary>
    public double LocalElapsed => wall.Elapsed.TotalSeconds;

    public void Write(ProgressEvent e)
    {
        lock (gate)
        {
            output.WriteLine(e.ToJsonLine());
            output.Flush();
        }
    }

    public void Write(string eventName, string? message = null) =>
        Write(new ProgressEvent { Event = eventName, Elapsed = Math.Round(Elapsed, 3), Message = message });
}

using System.Diagnostics;
using Leaderboard.Training.Progress;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// The measure this run's budget is spent in (<see cref="BudgetModes"/>): wall seconds since the trainer started, the
/// process's CPU seconds (all threads, since the process started: what the worker reads from /proc), or wall seconds
/// scaled by the node's speed relative to the track's reference hardware.
/// </summary>
public sealed class BudgetClock
{
    private readonly Stopwatch wall = Stopwatch.StartNew();

    private BudgetClock(string mode, double speed)
    {
        Mode = mode;
        Speed = speed;
    }

    public string Mode { get; }

    /// <summary>Reference seconds per wall second (calibrated mode; 1 otherwise).</summary>
    public double Speed { get; }

    public static BudgetClock Wall() => new(BudgetModes.Wall, 1);

    public static BudgetClock CpuTime() => new(BudgetModes.CpuTime, 1);

    public static BudgetClock Calibrated(double speed) =>
        speed > 0 && double.IsFinite(speed) ? new(BudgetModes.Calibrated, speed)
        : throw new ArgumentOutOfRangeException(nameof(speed), speed, "a calibrated clock needs a positive speed");

    /// <summary>Budget seconds spent by this process so far.</summary>
    public double Seconds => Mode switch
    {
        BudgetModes.CpuTime => Environment.CpuUsage.TotalTime.TotalSeconds,
        BudgetModes.Calibrated => wall.Elapsed.TotalSeconds * Speed,
        _ => wall.Elapsed.TotalSeconds,
    };

    /// <summary>Budget seconds that <paramref name="wallSeconds"/> of wall time left until a deadline are worth (cpu-time: none are implied).</summary>
    public double FromWall(double wallSeconds) => Mode == BudgetModes.Calibrated ? wallSeconds * Speed : wallSeconds;
}

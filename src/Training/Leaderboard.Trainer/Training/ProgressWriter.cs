using System.Diagnostics;
using Leaderboard.Training.Progress;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// Writes the progress protocol (<see cref="ProgressEvent"/>, one JSON line each) and owns the run's clock: elapsed =
/// seconds since this trainer started plus the elapsed time carried over from a resumed checkpoint.
/// </summary>
public sealed class ProgressWriter(TextWriter output, double elapsedOffset = 0)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Lock gate = new();

    public double ElapsedOffset { get; set; } = elapsedOffset;

    /// <summary>Seconds of the run so far (across resumes).</summary>
    public double Elapsed => ElapsedOffset + clock.Elapsed.TotalSeconds;

    /// <summary>Seconds since this process started training.</summary>
    public double LocalElapsed => clock.Elapsed.TotalSeconds;

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

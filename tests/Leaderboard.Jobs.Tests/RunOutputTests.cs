using Leaderboard.Training.Progress;

namespace Leaderboard.Jobs.Tests;

/// <summary>The worker's buffer of a trainer's output while the database cannot take it: bounded, the newest kept.</summary>
public sealed class RunOutputTests
{
    [Fact]
    public void Past_its_cap_the_buffer_drops_the_oldest_entries_keeps_the_latest_state_and_says_what_it_dropped()
    {
        var output = new RunOutput(maxEvents: 3, maxLines: 2);
        for (var step = 1; step <= 10; step++)
        {
            output.AddProgress(new ProgressEvent { Event = "step", Elapsed = step, Step = step });
            output.AddLine("stdout", $"line {step}");
        }

        var (events, lines) = output.Drain();

        Assert.Equal([8L, 9L, 10L], events.Select(e => e.Step!.Value));
        Assert.Equal(("worker", "The database was unreachable for a while: the worker dropped the oldest 7 progress rows and 8 output lines it could not store in time (the run itself went on)."), lines[0]);
        Assert.Equal(["line 9", "line 10"], lines.Skip(1).Select(l => l.Text));
    }

    [Fact]
    public void A_drain_empties_the_buffer_and_resets_the_count_of_dropped_entries()
    {
        var output = new RunOutput(maxEvents: 1, maxLines: 1);
        output.AddLine("stderr", "a");
        output.AddLine("stderr", "b");
        output.Drain();
        output.AddLine("stderr", "c");

        var (events, lines) = output.Drain();

        Assert.Empty(events);
        Assert.Equal([("stderr", "c")], lines);
    }
}

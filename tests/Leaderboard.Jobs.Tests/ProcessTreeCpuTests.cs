using System.Diagnostics;

namespace Leaderboard.Jobs.Tests;

/// <summary>A cpu-time budget's measure: the CPU seconds of a process and everything it started, read from /proc.</summary>
public sealed class ProcessTreeCpuTests
{
    [Fact]
    public void Counts_the_CPU_seconds_of_a_busy_child_but_not_the_time_its_parent_sleeps()
    {
        // A parent that only waits, and a child that spins for a second, then the parent sleeps on.
        using var parent = Process.Start(new ProcessStartInfo("bash", ["-c", "timeout 1 bash -c 'while :; do :; done'; sleep 30"]))!;
        try
        {
            Thread.Sleep(2500);
            var seconds = ProcessTreeCpu.Seconds(parent.Id);

            // The child ran ~1 s of CPU (less on a loaded machine), which its parent reaped; 2.5 s of wall time passed.
            Assert.InRange(seconds, 0.05, 1.5);
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Reads_a_live_childs_time_while_it_runs()
    {
        using var parent = Process.Start(new ProcessStartInfo("bash", ["-c", "bash -c 'while :; do :; done' & wait"]))!;
        try
        {
            Thread.Sleep(1500);
            Assert.True(ProcessTreeCpu.Seconds(parent.Id) > 0.05, "the spinning grandchild's CPU time is not counted");
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Parses_the_times_after_a_command_name_with_spaces_and_parentheses()
    {
        const string stat = "4242 (lb (trainer) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 12 0 100 0 0";

        Assert.Equal(250 + 50 + 7 + 3, ProcessTreeCpu.ParseTicks(stat));
    }
}

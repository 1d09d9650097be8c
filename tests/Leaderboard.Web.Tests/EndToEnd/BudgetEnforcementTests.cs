using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;

namespace Leaderboard.Web.Tests.EndToEnd;

/// <summary>
/// The budget holds even against a trainer that ignores its deadline: the worker kills the whole process tree at
/// deadline + grace, and a run with no checkpoint from before the deadline is not scored.
/// </summary>
public sealed class BudgetEnforcementTests
{
    [Fact]
    public async Task A_trainer_that_ignores_the_deadline_is_killed_with_its_children_at_deadline_plus_grace()
    {
        const int budget = 3, grace = 2;
        var pidDir = Directory.CreateTempSubdirectory("lb-runaway-").FullName;
        var runaway = Path.Combine(pidDir, "runaway-trainer.sh");
        // Passes its pre-flight; then writes a progress line, starts a child, records both pids, and never stops.
        await File.WriteAllTextAsync(runaway, $$"""
            #!/usr/bin/env bash
            if [ "$1" = preflight ]; then
              echo '{"event":"preflight","passed":true,"reason":"fast enough","sizes":[],"trainImages":1,"budgetSeconds":{{budget}},"seconds":0}'
              exit 0
            fi
            echo '{"event":"start","elapsed":0}'
            sleep 1000 &
            echo $! > {{pidDir}}/child.pid
            echo $$ > {{pidDir}}/trainer.pid
            while true; do echo '{"event":"step","elapsed":1,"step":1,"loss":2.3}'; sleep 0.5; done
            """);
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The platform runs on Linux.");
        File.SetUnixFileMode(runaway, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var platform = await PlatformFactory.StartAsync(worker: true, testTrackBudgetSeconds: budget,
            settings: new Dictionary<string, string> { ["Worker:TrainerPath"] = runaway, ["Worker:GraceSeconds"] = $"{grace}" });
        using var client = await platform.CreateUserClientAsync();

        var submission = await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "runaway", TestRecipes.Small)).ReadObjectAsync();
        var run = await client.WaitForRunAsync((long)submission["runId"]!, TimeSpan.FromSeconds(60));

        Assert.Equal("BudgetExceeded", (string)run["status"]!);
        Assert.Contains("deadline", (string)run["failureReason"]!);
        var started = (DateTimeOffset)run["startedAt"]!;
        var finished = (DateTimeOffset)run["finishedAt"]!;
        Assert.True(finished - started >= TimeSpan.FromSeconds(budget + grace), $"killed after {(finished - started).TotalSeconds:F1} s, before deadline + grace");
        Assert.True(finished - started < TimeSpan.FromSeconds(budget + grace + 5), $"killed only after {(finished - started).TotalSeconds:F1} s");
        Assert.False(IsAlive(File.ReadAllText(Path.Combine(pidDir, "trainer.pid"))), "the trainer outlived deadline + grace");
        Assert.False(IsAlive(File.ReadAllText(Path.Combine(pidDir, "child.pid"))), "the trainer's child outlived deadline + grace");
        Directory.Delete(pidDir, recursive: true);
    }

    /// <summary>Whether a process still runs: a zombie (killed, not yet reaped by its new parent) counts as dead.</summary>
    private static bool IsAlive(string pid)
    {
        var stat = $"/proc/{pid.Trim()}/stat";
        if (!File.Exists(stat)) return false;
        var text = File.ReadAllText(stat);
        var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
        return state != "Z" && state != "X";
    }
}

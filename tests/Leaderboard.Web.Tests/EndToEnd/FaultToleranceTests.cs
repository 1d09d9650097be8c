using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.TestUtilities;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Leaderboard.Web.Tests.EndToEnd;

/// <summary>
/// Fault drills against real PostgreSQL (each test's own cluster, stopped and started for an outage) and real worker
/// processes with a fake trainer: every run ends completed or failed with a reason, none stays stuck, none is recorded
/// twice — across database restarts and outages, a worker's SIGTERM, a killed trainer, a full disk and a restart of the
/// whole platform.
/// </summary>
public sealed class FaultToleranceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_database_restart_mid_run_loses_no_progress_and_the_run_completes_once()
    {
        await using var cluster = await PostgresCluster.CreateAsync();
        using var trainer = new FakeTrainer(trainSeconds: 10);
        await using var platform = await PlatformFactory.StartAsync(testTrackBudgetSeconds: 60, cluster: cluster);
        using var client = await platform.CreateUserClientAsync();
        using var worker = WorkerProcess.Start(platform, "node-a", new Dictionary<string, string> { ["TrainerPath"] = trainer.Path });
        var runId = await SubmitAsync(client, "survives a restart");
        await WaitForAsync(async () => await StepsAsync(client, runId) > 0, TimeSpan.FromSeconds(60));

        await cluster.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        await cluster.StartAsync();
        var run = await WaitForFinalAsync(client, runId);

        output.WriteLine(worker.RecentOutput);
        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}");
        Assert.Equal(1, (int)run["attempt"]!);
        Assert.Single(trainer.Invocations, line => line.StartsWith("train "));
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        Assert.Equal(1, await db.Results.CountAsync(r => r.RunId == runId));
        // Every step the trainer wrote, those of the outage included, was stored once.
        var steps = await db.RunMetrics.Where(m => m.RunId == runId && m.Event == "step").Select(m => m.Step).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long?)i), steps.Order());
    }

    [Fact]
    public async Task Through_a_multi_minute_outage_the_site_answers_503_and_the_run_is_scored_although_its_deadline_passed()
    {
        await using var cluster = await PostgresCluster.CreateAsync();
        using var trainer = new FakeTrainer(trainSeconds: 12);
        await using var platform = await PlatformFactory.StartAsync(testTrackBudgetSeconds: 30, cluster: cluster);
        using var client = await platform.CreateUserClientAsync();
        var settings = new Dictionary<string, string> { ["TrainerPath"] = trainer.Path };
        // Two nodes: the idle one is offered the run's job again once the outage outlasts the 10 s invisibility timeout.
        using var first = WorkerProcess.Start(platform, "node-a", settings);
        using var second = WorkerProcess.Start(platform, "node-b", settings);
        var runId = await SubmitAsync(client, "outlives an outage");
        await WaitForAsync(async () => await StepsAsync(client, runId) > 0, TimeSpan.FromSeconds(60));

        await cluster.StopAsync();
        var api = await client.GetAsync($"/api/v1/runs/{runId}");
        var page = await client.GetAsync("/");
        await Task.Delay(TimeSpan.FromSeconds(130));
        await cluster.StartAsync();
        var run = await WaitForFinalAsync(client, runId);

        output.WriteLine($"{run}\n{string.Join("\n", trainer.Invocations)}\n--- node-a:\n{first.RecentOutput}\n--- node-b:\n{second.RecentOutput}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), api.Headers.RetryAfter?.Delta);
        var problem = (await api.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("database is unavailable", (string)problem["detail"]!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.NotNull(page.Headers.RetryAfter);
        Assert.Contains("try again in a few seconds", await page.Content.ReadAsStringAsync());

        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}");
        Assert.Equal(1, (int)run["attempt"]!);
        Assert.True((DateTimeOffset)run["finishedAt"]! > (DateTimeOffset)run["deadline"]!, "the deadline did not pass during the outage");
        Assert.Single(trainer.Invocations, line => line.StartsWith("train "));
        Assert.Single(trainer.Invocations, line => line.StartsWith("evaluate "));
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        Assert.Equal(1, await db.Results.CountAsync(r => r.RunId == runId));
        Assert.Equal(60, await db.RunMetrics.CountAsync(m => m.RunId == runId && m.Event == "step"));
    }

    [Fact]
    public async Task A_worker_stopped_with_SIGTERM_hands_its_run_back_and_it_resumes_elsewhere_from_the_checkpoint_it_wrote()
    {
        using var trainer = new FakeTrainer(trainSeconds: 20);
        await using var platform = await PlatformFactory.StartAsync(testTrackBudgetSeconds: 60);
        using var client = await platform.CreateUserClientAsync();
        var settings = new Dictionary<string, string> { ["TrainerPath"] = trainer.Path };
        using var first = WorkerProcess.Start(platform, "node-a", settings);
        using var second = WorkerProcess.Start(platform, "node-b", settings);
        var runId = await SubmitAsync(client, "survives an upgrade");
        await WaitForAsync(async () => await StepsAsync(client, runId) >= 10, TimeSpan.FromSeconds(60));
        var holder = (string)(await client.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}"))!["worker"]!;
        var (stopped, survivor) = holder == first.Name ? (first, second) : (second, first);

        var exitCode = await stopped.TerminateAsync(TimeSpan.FromSeconds(60));
        var run = await WaitForFinalAsync(client, runId);

        output.WriteLine($"--- {stopped.Name}:\n{stopped.RecentOutput}\n--- {survivor.Name}:\n{survivor.RecentOutput}");
        Assert.Equal(0, exitCode);
        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}");
        Assert.Equal((survivor.Name, 2), ((string)run["worker"]!, (int)run["attempt"]!));
        var trainings = trainer.Invocations.Where(line => line.StartsWith("train ")).ToList();
        Assert.Equal(2, trainings.Count);
        Assert.Contains($"resume={platform.DataRoot}/runs/{runId}/attempt-1/checkpoint.safetensors", trainings[1]);
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        // The time trained before the stop counts: the second attempt's deadline leaves the budget minus the checkpoint's time.
        var handedBack = await db.RunMetrics.Where(m => m.RunId == runId && m.Event == "checkpoint").OrderBy(m => m.Id).FirstAsync();
        Assert.True(handedBack.Elapsed >= 2, $"the SIGTERM checkpoint holds {handedBack.Elapsed} s of training");
        var stored = await db.Runs.SingleAsync(r => r.Id == runId);
        Assert.Equal(60 - handedBack.Elapsed, (stored.Deadline!.Value - stored.StartedAt!.Value).TotalSeconds, precision: 0);
        Assert.Equal(1, await db.Results.CountAsync(r => r.RunId == runId));
    }

    [Fact]
    public async Task A_trainer_killed_with_SIGKILL_is_a_platform_fault_with_its_stderr_in_the_reason_and_the_run_is_retried()
    {
        using var trainer = new FakeTrainer(trainSeconds: 4, hangFirstTraining: true);
        await using var platform = await PlatformFactory.StartAsync(testTrackBudgetSeconds: 60);
        using var client = await platform.CreateUserClientAsync();
        using var worker = WorkerProcess.Start(platform, "node-a", new Dictionary<string, string> { ["TrainerPath"] = trainer.Path });
        var runId = await SubmitAsync(client, "trainer gets killed");
        var pidFile = Path.Combine(platform.DataRoot, "runs", runId.ToString(), "attempt-1", "trainer.pid");
        await WaitForAsync(() => Task.FromResult(File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0), TimeSpan.FromSeconds(60));

        using (var kill = System.Diagnostics.Process.Start("kill", ["-KILL", File.ReadAllText(pidFile).Trim()])) await kill.WaitForExitAsync();
        JsonObject? retried = null;
        await WaitForAsync(async () =>
        {
            retried = await client.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}");
            return (int)retried!["attempt"]! == 2 && retried["failureReason"] is not null;
        }, TimeSpan.FromSeconds(60));
        var run = await WaitForFinalAsync(client, runId);

        var reason = (string)retried!["failureReason"]!;
        output.WriteLine(reason);
        Assert.Equal("Platform", (string)retried["failureClass"]!);
        Assert.Contains("killed by signal 9", reason);
        Assert.Contains("fake trainer: training in", reason);
        Assert.Contains("Re-queued automatically (attempt 1 of 3)", reason);
        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}");
        Assert.Equal(2, (int)run["attempt"]!);
    }

    [Fact]
    public async Task A_full_disk_or_an_unwritable_run_folder_fails_the_run_as_a_platform_fault_with_the_reason_and_the_worker_lives_on()
    {
        using var trainer = new FakeTrainer(diskFull: true);
        await using var platform = await PlatformFactory.StartAsync(testTrackBudgetSeconds: 60);
        using var client = await platform.CreateUserClientAsync();
        var diskFull = await SubmitAsync(client, "disk full");
        var unwritable = await SubmitAsync(client, "unwritable run folder");
        // The folder of the second run's attempts cannot be created: a file is in the way.
        Directory.CreateDirectory(Path.Combine(platform.DataRoot, "runs"));
        File.WriteAllText(Path.Combine(platform.DataRoot, "runs", unwritable.ToString()), "in the way");
        using var worker = WorkerProcess.Start(platform, "node-a", new Dictionary<string, string> { ["TrainerPath"] = trainer.Path });

        JsonObject first, second;
        try
        {
            first = await WaitForFinalAsync(client, diskFull);
            second = await WaitForFinalAsync(client, unwritable);
        }
        finally
        {
            output.WriteLine($"{await client.GetStringAsync("/api/v1/queue")}\n{string.Join("\n", trainer.Invocations)}\n--- node-a:\n{worker.RecentOutput}");
        }

        output.WriteLine($"{first["failureReason"]}\n{second["failureReason"]}");
        Assert.Equal(("Failed", "Platform", 3), ((string)first["status"]!, (string)first["failureClass"]!, (int)first["attempt"]!));
        Assert.Contains("No space left on device", (string)first["failureReason"]!);
        Assert.Contains("Gave up after 3 attempts", (string)first["failureReason"]!);
        Assert.Equal(("Failed", "Platform", 3), ((string)second["status"]!, (string)second["failureClass"]!, (int)second["attempt"]!));
        Assert.Contains($"the run folder {platform.DataRoot}/runs/{unwritable}/attempt-3 cannot be written", (string)second["failureReason"]!);
        var node = (await client.GetFromJsonAsync<JsonObject>("/api/v1/queue"))!["nodes"]!.AsArray().Single()!;
        Assert.True((bool)node["online"]!, "the worker died with its runs");
    }

    [Fact]
    public async Task After_the_whole_platform_restarts_the_reconciler_requeues_the_runs_no_worker_holds()
    {
        using var trainer = new FakeTrainer(trainSeconds: 15);
        await using var platform = await PlatformFactory.StartAsync(testTrackBudgetSeconds: 120,
            settings: new Dictionary<string, string> { ["Quotas:Default:MaxActiveRuns"] = "10" });
        using var client = await platform.CreateUserClientAsync();
        // Hangfire would hand a dead node's job to another only after an hour: what recovers the runs is the reconciler.
        var settings = new Dictionary<string, string> { ["TrainerPath"] = trainer.Path, ["InvisibilityTimeoutSeconds"] = "3600", ["ReconcileSeconds"] = "1" };
        var runs = new List<long>();
        using (var first = WorkerProcess.Start(platform, "node-a", settings))
        using (var second = WorkerProcess.Start(platform, "node-b", settings))
        {
            runs.Add(await SubmitAsync(client, "one"));
            runs.Add(await SubmitAsync(client, "two"));
            foreach (var runId in runs) await WaitForAsync(async () => await StepsAsync(client, runId) > 0, TimeSpan.FromSeconds(60));
            first.KillHard();
            second.KillHard();
        }
        using var fresh = WorkerProcess.Start(platform, "node-c", settings);
        var restartedAt = DateTimeOffset.UtcNow;
        var recovered = new List<JsonObject>();
        foreach (var runId in runs) recovered.Add(await WaitForFinalAsync(client, runId));

        output.WriteLine(fresh.RecentOutput);
        Assert.All(recovered, run => Assert.True((string)run["status"]! == "Completed", $"run {run["id"]} ended {run["status"]}: {run["failureReason"]}"));
        Assert.All(recovered, run => Assert.Equal(("node-c", 2), ((string)run["worker"]!, (int)run["attempt"]!)));
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        Assert.Equal(2, await db.Results.CountAsync(r => runs.Contains(r.RunId)));
        var firstResumed = await db.Runs.Where(r => runs.Contains(r.Id)).MinAsync(r => r.StartedAt);
        output.WriteLine($"platform restart -> first run resumed: {(firstResumed!.Value - restartedAt).TotalSeconds:F1} s");
    }

    private static async Task<long> SubmitAsync(HttpClient client, string name)
    {
        var response = await client.SubmitAsync(PlatformFactory.TestTrackSlug, name, TestRecipes.Small);
        return (long)(await response.ReadObjectAsync())["runId"]!;
    }

    private static async Task<int> StepsAsync(HttpClient client, long runId) =>
        (await client.GetFromJsonAsync<JsonArray>($"/api/v1/runs/{runId}/metrics"))!.Count(m => (string)m!["event"]! == "step");

    /// <summary>Polls the run until it is final; a 503 right after the database came back (a stale pooled connection) is waited out.</summary>
    private static async Task<JsonObject> WaitForFinalAsync(HttpClient client, long runId)
    {
        JsonObject? run = null;
        await WaitForAsync(async () =>
        {
            var response = await client.GetAsync($"/api/v1/runs/{runId}");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) return false;
            run = await response.ReadObjectAsync();
            return (string)run["status"]! is "Completed" or "Failed" or "Cancelled" or "BudgetExceeded";
        }, Patience);
        return run!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(200);
        }
    }
}

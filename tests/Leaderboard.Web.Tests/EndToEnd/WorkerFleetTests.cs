using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Leaderboard.Web.Tests.EndToEnd;

/// <summary>
/// The worker fleet against real PostgreSQL with real worker processes (./lb worker's host) and a fake trainer: runs
/// executed exactly once, hardware classes, cancellation, failure classes, logs and the queue view.
/// </summary>
public sealed class WorkerFleetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Twenty_runs_on_two_workers_are_each_executed_exactly_once()
    {
        using var trainer = new FakeTrainer(trainSeconds: 0.3);
        // One author submits all 21 runs: lift the default active-runs quota (2).
        await using var platform = await PlatformFactory.StartAsync(worker: false,
            settings: new Dictionary<string, string> { ["Quotas:Default:MaxActiveRuns"] = "100" });
        using var client = await platform.CreateUserClientAsync();
        using var first = WorkerProcess.Start(platform, "node-a", new Dictionary<string, string> { ["TrainerPath"] = trainer.Path });
        using var second = WorkerProcess.Start(platform, "node-b", new Dictionary<string, string> { ["TrainerPath"] = trainer.Path });
        await WaitForNodesOnlineAsync(client, 2);
        // One run first, so the latency below is that of warm, idle workers.
        var warmUp = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "warm-up", TestRecipes.Small)).ReadObjectAsync())["runId"]!;
        Assert.Equal("Completed", (string)(await client.WaitForRunAsync(warmUp, Patience))["status"]!);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var runIds = new List<long>();
        for (var i = 0; i < 20; i++)
            runIds.Add((long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, $"run {i}", TestRecipes.Small)).ReadObjectAsync())["runId"]!);
        var runs = new List<JsonObject>();
        foreach (var runId in runIds) runs.Add(await client.WaitForRunAsync(runId, Patience));

        Assert.All(runs, run => Assert.True((string)run["status"]! == "Completed", $"run {run["id"]} ended {run["status"]}: {run["failureReason"]}"));
        Assert.All(runs, run => Assert.Equal(1, (int)run["attempt"]!));
        var trainings = trainer.Invocations.Where(line => line.StartsWith("train ")).Select(line => line.Split(' ')[1]).ToList();
        Assert.Equal(21, trainings.Count);
        Assert.Equal(21, trainings.Distinct().Count());
        Assert.Equal(21, trainer.Invocations.Count(line => line.StartsWith("evaluate ")));
        Assert.Equal(["node-a", "node-b"], runs.Select(r => (string)r["worker"]!).Distinct().Order());
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        Assert.Equal(21, await db.Results.CountAsync());
        Assert.Equal(21, await db.RunMetrics.CountAsync(m => m.Event == "start"));
        var firstTwo = await db.Runs.Where(r => runIds.Contains(r.Id)).OrderBy(r => r.Id).Take(2).ToListAsync();
        output.WriteLine("queue -> running with warm idle workers: " + string.Join(", ", firstTwo.Select(r => $"{(r.StartedAt!.Value - r.QueuedAt).TotalMilliseconds:F0} ms")));
    }

    [Fact]
    public async Task A_distilling_run_trains_with_its_teacher_runs_checkpoint()
    {
        using var trainer = new FakeTrainer(trainSeconds: 0.3);
        await using var platform = await PlatformFactory.StartAsync(worker: false);
        using var client = await platform.CreateUserClientAsync();
        using var node = WorkerProcess.Start(platform, "node-a", new Dictionary<string, string> { ["TrainerPath"] = trainer.Path });
        await WaitForNodesOnlineAsync(client, 1);
        var teacher = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "teacher", TestRecipes.Small)).ReadObjectAsync())["runId"]!;
        Assert.Equal("Completed", (string)(await client.WaitForRunAsync(teacher, Patience))["status"]!);

        var distilling = TestRecipes.Small.Replace("  label_smoothing: 0.0\n", $"  label_smoothing: 0.0\n  distillation: {{ teacher_run: {teacher} }}\n");
        var submitted = await client.SubmitAsync(PlatformFactory.TestTrackSlug, "student", distilling);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var student = await client.WaitForRunAsync((long)(await submitted.ReadObjectAsync())["runId"]!, Patience);

        Assert.Equal("Completed", (string)student["status"]!);
        var trainings = trainer.Invocations.Where(line => line.StartsWith("train ")).ToList();
        Assert.Contains("teacher=none", trainings[0]);
        Assert.Contains($"teacher={platform.DataRoot}/runs/{teacher}/attempt-1/checkpoint.safetensors", trainings[1]);
    }

    [Fact]
    public async Task A_cancelled_running_run_stops_within_five_seconds_on_its_worker()
    {
        using var trainer = new FakeTrainer(runForever: true);
        await using var platform = await PlatformFactory.StartAsync(worker: false, testTrackBudgetSeconds: 600);
        using var client = await platform.CreateUserClientAsync();
        using var worker = WorkerProcess.Start(platform, "node-a", new Dictionary<string, string> { ["TrainerPath"] = trainer.Path });
        var runId = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "to cancel", TestRecipes.Small)).ReadObjectAsync())["runId"]!;
        await WaitForAsync(async () => (await client.GetFromJsonAsync<JsonArray>($"/api/v1/runs/{runId}/metrics"))!.Any(m => (string)m!["event"]! == "step"));

        var cancelledAt = DateTimeOffset.UtcNow;
        var response = await client.PostAsync($"/api/v1/runs/{runId}/cancel", null);
        response.EnsureSuccessStatusCode();
        var run = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(30));

        Assert.Equal("Cancelled", (string)run["status"]!);
        Assert.Null(run["failureClass"]);
        var latency = (DateTimeOffset)run["finishedAt"]! - cancelledAt;
        output.WriteLine($"cancel -> cancelled: {latency.TotalMilliseconds:F0} ms");
        Assert.True(latency < TimeSpan.FromSeconds(5), $"the run stopped {latency.TotalSeconds:F1} s after the cancel");
        var pidFile = Directory.GetFiles(Path.Combine(platform.DataRoot, "runs", runId.ToString()), "trainer.pid", SearchOption.AllDirectories).Single();
        Assert.False(Directory.Exists($"/proc/{File.ReadAllText(pidFile).Trim()}/cwd"), "the trainer outlived the cancel");
    }

    [Fact]
    public async Task A_GPU_run_waits_while_only_CPU_workers_exist_then_runs_on_a_GPU_node_with_one_GPU()
    {
        using var trainer = new FakeTrainer();
        await using var platform = await PlatformFactory.StartAsync(worker: false);
        await AddGpuTrackAsync(platform);
        using var client = await platform.CreateUserClientAsync();
        using var cpu = WorkerProcess.Start(platform, "cpu-node", new Dictionary<string, string> { ["TrainerPath"] = trainer.Path });
        var runId = (long)(await (await client.SubmitAsync("gpu-test", "needs a gpu", TestRecipes.Small)).ReadObjectAsync())["runId"]!;
        await WaitForAsync(async () => (await client.GetFromJsonAsync<JsonObject>("/api/v1/queue"))!["nodes"]!.AsArray().Any(n => (bool)n!["online"]!));
        await Task.Delay(TimeSpan.FromSeconds(3));

        var run = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}"))!;
        Assert.Equal("Queued", (string)run["status"]!);
        Assert.Equal(1, (int)run["queuePosition"]!);
        Assert.Null(run["estimatedStart"]);
        var queue = (await client.GetFromJsonAsync<JsonObject>("/api/v1/queue"))!;
        var node = Assert.Single(queue["nodes"]!.AsArray())!;
        Assert.Equal(("cpu-node", "cpu", 1), ((string)node["name"]!, (string)node["hardwareClass"]!, (int)node["slots"]!));
        var queued = Assert.Single(queue["queue"]!.AsArray())!;
        Assert.Equal(("gpu", 1), ((string)queued["hardwareClass"]!, (int)queued["position"]!));
        Assert.Empty(trainer.Invocations);
        var queuePage = await client.GetStringAsync("/queue");
        Assert.Contains("data-node=\"cpu-node\"", queuePage);
        Assert.Contains($"data-run=\"{runId}\"", queuePage);
        Assert.Contains("when a gpu worker is online", queuePage);
        Assert.Contains("data-queue-position=\"1\"", await client.GetStringAsync($"/runs/{runId}"));

        using var gpu = WorkerProcess.Start(platform, "gpu-node",
            new Dictionary<string, string> { ["TrainerPath"] = trainer.Path, ["NvidiaSmi"] = trainer.WriteNvidiaSmi(gpus: 2) });
        run = await client.WaitForRunAsync(runId, Patience);

        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}");
        Assert.Equal("gpu-node", (string)run["worker"]!);
        Assert.All(trainer.Invocations, line => Assert.Matches("gpu=[01]$", line));
        var gpuNode = (await client.GetFromJsonAsync<JsonObject>("/api/v1/queue"))!["nodes"]!.AsArray().Single(n => (string)n!["name"]! == "gpu-node")!;
        Assert.Equal(("gpu", 2, 2, "NVIDIA H100 80GB HBM3", "550.54.15"),
            ((string)gpuNode["hardwareClass"]!, (int)gpuNode["slots"]!, (int)gpuNode["gpuCount"]!, (string)gpuNode["gpuModel"]!, (string)gpuNode["driverVersion"]!));
    }

    [Fact]
    public async Task A_user_fault_is_not_retried_and_a_platform_fault_is_requeued_saying_so()
    {
        using var trainer = new FakeTrainer(crashFirstEvaluation: true);
        await using var platform = await PlatformFactory.StartAsync(worker: true,
            settings: new Dictionary<string, string> { ["Worker:TrainerPath"] = trainer.Path });
        using var client = await platform.CreateUserClientAsync();

        var userFault = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "diverges", TestRecipes.Small.Replace("seed: 1", "seed: 7"))).ReadObjectAsync())["runId"]!;
        var failed = await client.WaitForRunAsync(userFault, Patience);
        Assert.Equal(("Failed", "User", 1), ((string)failed["status"]!, (string)failed["failureClass"]!, (int)failed["attempt"]!));
        Assert.Contains("loss is NaN", (string)failed["failureReason"]!);
        Assert.Single(trainer.Invocations, line => line.StartsWith("train "));
        var log = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/runs/{userFault}/logs?tail=50"))!;
        Assert.Contains(log, line => (string)line!["stream"]! == "stderr" && ((string)line["text"]!).StartsWith("fake trainer: training in"));
        var full = await client.GetStringAsync($"/api/v1/runs/{userFault}/logs/full");
        Assert.Contains("--- attempt 1 ---", full);
        Assert.Contains("[stderr] fake trainer: training in", full);
        Assert.Contains("loss is NaN", full);

        var platformFault = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "evaluation crashes once", TestRecipes.Small)).ReadObjectAsync())["runId"]!;
        var completed = await client.WaitForRunAsync(platformFault, Patience);
        Assert.True((string)completed["status"]! == "Completed", $"run ended {completed["status"]}: {completed["failureReason"]}");
        Assert.Equal(2, (int)completed["attempt"]!);
        // Trained once; the second attempt scored the same checkpoint again.
        Assert.Equal(2, trainer.Invocations.Count(line => line.StartsWith("train ")));
        Assert.Equal(2, trainer.Invocations.Count(line => line.StartsWith("evaluate ")));
        var fullLog = await client.GetStringAsync($"/api/v1/runs/{platformFault}/logs/full");
        Assert.Contains("[stderr] Segmentation fault in the evaluation", fullLog);
        Assert.Contains("--- attempt 2 ---", fullLog);
    }

    /// <summary>Long enough for a first checkpoint well before the deadline on a loaded machine (the trainer may take 10 s to start).</summary>
    private const int Budget = 60;

    [Fact]
    public async Task A_run_whose_worker_is_killed_resumes_on_the_other_worker_from_its_checkpoint_with_the_real_trainer()
    {
        await using var platform = await PlatformFactory.StartAsync(worker: false, testTrackBudgetSeconds: Budget);
        using var client = await platform.CreateUserClientAsync();
        using var first = WorkerProcess.Start(platform, "node-a");
        using var second = WorkerProcess.Start(platform, "node-b");
        await WaitForNodesOnlineAsync(client, 2);
        var runId = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "survives a crash", TestRecipes.Small)).ReadObjectAsync())["runId"]!;
        await WaitForAsync(async () => (await client.GetFromJsonAsync<JsonArray>($"/api/v1/runs/{runId}/metrics"))!
            .Any(m => (string)m!["event"]! == "checkpoint"), TimeSpan.FromSeconds(90));
        var running = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}"))!;
        Assert.True((string)running["status"]! == "Running", $"the run was {running["status"]} at its first checkpoint: raise the test's budget");
        var (doomed, survivor) = (string)running["worker"]! == first.Name ? (first, second) : (second, first);

        var killedAt = DateTimeOffset.UtcNow;
        doomed.KillHard();
        try
        {
            await WaitForAsync(async () => (int)(await client.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}"))!["attempt"]! == 2, TimeSpan.FromSeconds(60));
        }
        finally
        {
            output.WriteLine($"run: {await client.GetStringAsync($"/api/v1/runs/{runId}")}\n--- {doomed.Name}:\n{doomed.RecentOutput}\n--- {survivor.Name}:\n{survivor.RecentOutput}");
        }
        output.WriteLine($"kill -9 -> resumed on the other worker: {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:F1} s (invisibility timeout 10 s)");
        var run = await client.WaitForRunAsync(runId, Patience);

        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}");
        Assert.Equal((survivor.Name, 2), ((string)run["worker"]!, (int)run["attempt"]!));
        var metrics = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/runs/{runId}/metrics"))!;
        var starts = metrics.Where(m => (string)m!["event"]! == "start").ToList();
        Assert.True(starts.Count == 2, "metrics: " + string.Join("; ", metrics.Where(m => (string)m!["event"]! != "step").Select(m => $"{m!["event"]} {m["elapsed"]} {m["message"]}")));
        Assert.Contains("resumed at step", (string)starts[1]!["message"]!);
        Assert.True((double)starts[1]!["elapsed"]! > 0, "the second attempt started its clock from zero instead of the checkpoint's");
        Assert.True((double)run["result"]!["trainSeconds"]! <= Budget);
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        Assert.Equal(1, await db.Results.CountAsync(r => r.RunId == runId));
    }

    private static Task WaitForNodesOnlineAsync(HttpClient client, int count) =>
        WaitForAsync(async () => (await client.GetFromJsonAsync<JsonObject>("/api/v1/queue"))!["nodes"]!.AsArray().Count(n => (bool)n!["online"]!) == count);

    private static async Task AddGpuTrackAsync(PlatformFactory platform)
    {
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        var template = await db.Tracks.AsNoTracking().SingleAsync(t => t.Slug == PlatformFactory.TestTrackSlug);
        db.Tracks.Add(new Track
        {
            Slug = "gpu-test",
            Name = "GPU test track",
            Dataset = template.Dataset,
            NumClasses = template.NumClasses,
            TrainImages = template.TrainImages,
            BudgetSeconds = template.BudgetSeconds,
            Hardware = "gpu",
            ReferenceTflops = template.ReferenceTflops,
            MaxImageSize = template.MaxImageSize,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(200);
        }
    }
}

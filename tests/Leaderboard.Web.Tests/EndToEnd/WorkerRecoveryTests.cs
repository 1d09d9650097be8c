using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;

namespace Leaderboard.Web.Tests.EndToEnd;

/// <summary>
/// A worker that dies mid-run loses no submission: the cluster hands the run to another worker, which resumes it from
/// the last checkpoint with the budget that checkpoint left, and scores it.
/// </summary>
public sealed class WorkerRecoveryTests
{
    [Fact]
    public async Task A_run_whose_worker_dies_is_resumed_by_another_worker_from_its_last_checkpoint()
    {
        await using var platform = await PlatformFactory.StartAsync(worker: false, testTrackBudgetSeconds: 24);
        using var client = await platform.CreateUserClientAsync();
        var submission = await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "survives a crash", TestRecipes.Small)).ReadObjectAsync();
        var runId = (long)submission["runId"]!;

        using (var doomed = WorkerProcess.Start(platform))
        {
            await WaitForAsync(async () => (await client.GetFromJsonAsync<JsonArray>($"/api/v1/runs/{runId}/metrics"))!
                .Any(m => (string)m!["event"]! == "checkpoint"), TimeSpan.FromSeconds(90));
            doomed.KillHard();
        }
        using var survivor = WorkerProcess.Start(platform);
        var run = await client.WaitForRunAsync(runId, TimeSpan.FromMinutes(2));

        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}");
        Assert.Equal(2, (int)run["attempt"]!);
        var metrics = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/runs/{runId}/metrics"))!;
        var starts = metrics.Where(m => (string)m!["event"]! == "start").ToList();
        Assert.Equal(2, starts.Count);
        Assert.Contains("resumed at step", (string)starts[1]!["message"]!);
        Assert.True((double)starts[1]!["elapsed"]! > 0, "the second attempt started its clock from zero instead of the checkpoint's");
        Assert.True((double)run["result"]!["trainSeconds"]! <= 24);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The condition did not hold in time.");
            await Task.Delay(300);
        }
    }
}

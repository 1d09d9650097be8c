using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;

namespace Leaderboard.Web.Tests.EndToEnd;

/// <summary>
/// The worker's pre-flight check with a fake trainer: a failing verdict ends the run as the user's fault with the
/// trainer's numbers before any training; a passing one is shown on the run page and refines the queue's estimate.
/// </summary>
public sealed class PreflightTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_run_too_slow_for_one_epoch_fails_as_the_users_fault_with_the_numbers_and_never_trains()
    {
        using var trainer = new FakeTrainer();
        await using var platform = await PlatformFactory.StartAsync(worker: true,
            settings: new Dictionary<string, string> { ["Worker:TrainerPath"] = trainer.Path });
        using var client = await platform.CreateUserClientAsync();

        var runId = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "too slow", TestRecipes.Small.Replace("seed: 1", "seed: 8"))).ReadObjectAsync())["runId"]!;
        var run = await client.WaitForRunAsync(runId, Patience);

        Assert.Equal(("Failed", "User", 1), ((string)run["status"]!, (string)run["failureClass"]!, (int)run["attempt"]!));
        Assert.Equal("The pre-flight check failed (too-slow): at 32 px: 41 images/s; one epoch of 1,281,167 images needs 8.7 h, the budget is 6 h.",
            (string)run["failureReason"]!);
        Assert.Single(trainer.Invocations, line => line.StartsWith("preflight "));
        Assert.DoesNotContain(trainer.Invocations, line => line.StartsWith("train "));
        var metrics = (await client.GetFromJsonAsync<JsonArray>($"/api/v1/runs/{runId}/metrics"))!;
        var preflight = metrics.Where(m => (string)m!["event"]! == "preflight").ToList();
        Assert.Equal(2, preflight.Count);
        Assert.Equal((32, 41.0), ((int)preflight[0]!["imageSize"]!, (double)preflight[0]!["imagesPerSecond"]!));
        Assert.StartsWith("failed (too-slow): at 32 px", (string)preflight[1]!["message"]!);
        Assert.Contains("[stderr] pre-flight: 32 px, batch 64: 640 images/s", await client.GetStringAsync($"/api/v1/runs/{runId}/logs/full"));
        var page = await client.GetStringAsync($"/runs/{runId}");
        Assert.Contains("class=\"step failed\" data-step=\"preflight\"", page);
        Assert.Contains("one epoch of 1,281,167 images needs 8.7 h", page);
    }

    [Fact]
    public async Task A_passing_run_shows_its_pre_flight_and_frees_its_slot_when_its_epochs_are_expected_to_end()
    {
        using var trainer = new FakeTrainer(runForever: true);
        const int budget = 400;
        await using var platform = await PlatformFactory.StartAsync(worker: true, testTrackBudgetSeconds: budget,
            settings: new Dictionary<string, string> { ["Worker:TrainerPath"] = trainer.Path, ["Worker:GraceSeconds"] = "15" });
        using var client = await platform.CreateUserClientAsync();

        // Seed 9: the fake pre-flight expects the training to end at a quarter of the budget (a recipe that trains a few epochs).
        var first = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "a few epochs", TestRecipes.Small.Replace("seed: 1", "seed: 9"))).ReadObjectAsync())["runId"]!;
        var until = DateTime.UtcNow + Patience;
        while (!(await client.GetFromJsonAsync<JsonArray>($"/api/v1/runs/{first}/metrics"))!.Any(m => (string)m!["event"]! == "step"))
        {
            Assert.True(DateTime.UtcNow < until, "the first run did not start training in time");
            await Task.Delay(200);
        }
        var second = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "waits", TestRecipes.Small)).ReadObjectAsync())["runId"]!;

        var queue = (await client.GetFromJsonAsync<JsonObject>("/api/v1/queue"))!;
        var running = queue["nodes"]!.AsArray().SelectMany(n => n!["runs"]!.AsArray()).Single(r => (long)r!["runId"]! == first)!;
        var deadline = (DateTimeOffset)running["deadline"]!;
        var expectedFinish = (DateTimeOffset)running["expectedFinish"]!;
        Assert.Equal(TimeSpan.FromSeconds(budget * 3 / 4), deadline - expectedFinish);
        // The pre-flight's time is not charged: the deadline is at least a full budget after the run started.
        var run = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{first}"))!;
        Assert.True(deadline - (DateTimeOffset)run["startedAt"]! >= TimeSpan.FromSeconds(budget));
        Assert.Equal(expectedFinish, (DateTimeOffset)run["expectedFinish"]!);
        var queued = queue["queue"]!.AsArray().Single(q => (long)q!["runId"]! == second)!;
        Assert.Equal(expectedFinish + TimeSpan.FromSeconds(15), (DateTimeOffset)queued["estimatedStart"]!);

        var page = await client.GetStringAsync($"/runs/{first}");
        Assert.Contains("class=\"step done\" data-step=\"preflight\"", page);
        Assert.Contains("Pre-flight passed in", page);
        Assert.Contains("expected to finish", await client.GetStringAsync("/queue"));
    }
}

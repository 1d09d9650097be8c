using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Apis;

/// <summary>Submissions of n seeds (capped per track), re-running a run's seed under its submission, and the ranking's statistics in the feed.</summary>
public sealed class SeedsApiTests : IAsyncLifetime
{
    private PlatformFactory _platform = null!;

    public async Task InitializeAsync() => _platform = await PlatformFactory.StartAsync();

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task A_submission_of_two_seeds_queues_one_run_per_seed_from_the_recipes_seed()
    {
        using var alice = await _platform.CreateUserClientAsync("alice");

        var response = await SubmitAsync(alice, "two seeds", seeds: 2);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.Equal(2, (int)body["seeds"]!);
        // TestRecipes.Small has seed: 1.
        Assert.Equal([1L, 2L], body["runs"]!.AsArray().Select(r => (long)r!["seed"]!));
        Assert.Equal([1L, 2L], await WithDbAsync(db => db.Runs.OrderBy(r => r.Id).Select(r => r.Seed).ToListAsync()));
        var run = await (await alice.GetAsync($"/api/v1/runs/{(long)body["runIds"]![1]!}")).ReadObjectAsync();
        Assert.Equal(2, (long)run["seed"]!);
    }

    [Theory]
    [InlineData(4, "at most 3 seeds on synthetic-test")]
    [InlineData(0, "must be at least 1")]
    public async Task Seeds_beyond_the_tracks_cap_are_a_field_error_and_store_nothing(int seeds, string message)
    {
        using var alice = await _platform.CreateUserClientAsync("alice");
        Assert.Equal(3, (int)(await (await alice.GetAsync($"/api/v1/tracks/{PlatformFactory.TestTrackSlug}")).ReadObjectAsync())["maxSeeds"]!);

        var response = await SubmitAsync(alice, "too many", seeds);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        Assert.Contains(message, (string)errors["seeds"]![0]!);
        Assert.Equal(0, await WithDbAsync(db => db.Submissions.CountAsync()));
    }

    [Fact]
    public async Task Seeds_count_against_the_active_run_quota()
    {
        using var alice = await _platform.CreateUserClientAsync("alice");
        // The default quota (5 active runs) admits the track's full seed set (3) ...
        Assert.Equal(HttpStatusCode.Created, (await SubmitAsync(alice, "three seeds", seeds: 3)).StatusCode);

        var response = await SubmitAsync(alice, "three more", seeds: 3);

        // ... but not a second one while the first is active.
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("You have 3 active runs on this track (queued, running or evaluating); the limit is 5. 3 seeds need 3 more active runs",
            (string)(await response.ReadObjectAsync())["detail"]!);
    }

    [Fact]
    public async Task Rerunning_a_run_repeats_its_seed_under_the_same_submission_and_verifies_the_row()
    {
        using var alice = await _platform.CreateUserClientAsync("alice");
        using var bob = await _platform.CreateUserClientAsync("bob");
        var created = await (await SubmitAsync(alice, "verified", seeds: 2)).ReadObjectAsync();
        var submissionId = (long)created["id"]!;
        var (first, second) = ((long)created["runIds"]![0]!, (long)created["runIds"]![1]!);
        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync($"/api/v1/runs/{second}/rerun", null)).StatusCode);
        await CompleteAsync(first, 60, "v1");
        await CompleteAsync(second, 64, "v1");
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync($"/api/v1/runs/{second}/rerun", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsync("/api/v1/runs/999999/rerun", null)).StatusCode);

        var response = await alice.PostAsync($"/api/v1/runs/{second}/rerun", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadObjectAsync();
        var rerun = (long)body["runId"]!;
        Assert.Equal(submissionId, (long)body["id"]!);
        Assert.Equal([first, second, rerun], body["runIds"]!.AsArray().Select(id => (long)id!));
        Assert.Equal(2, (long)body["runs"]!.AsArray().Single(r => (long)r!["id"]! == rerun)!["seed"]!);
        await CompleteAsync(rerun, 63, "v2");

        var entry = (await LeaderboardAsync())["entries"]!.AsArray().Single()!;
        Assert.Equal((62.0, 2, false), ((double)entry["top1"]!, (int)entry["seeds"]!, (bool)entry["singleSeed"]!));
        Assert.Equal(25.412, (double)entry["top1Ci95"]!, 2);
        var verification = entry["verification"]!;
        Assert.Equal((rerun, 2L, true, true, "v2", "v1"), ((long)verification["runId"]!, (long)verification["seed"]!, (bool)verification["verified"]!,
            (bool)verification["otherCodeVersion"]!, (string)verification["codeVersion"]!, (string)verification["originalCodeVersion"]!));
    }

    [Fact]
    public async Task A_row_trained_under_older_rules_is_not_rerun_under_the_current_ones()
    {
        using var alice = await _platform.CreateUserClientAsync("alice");
        var created = await (await SubmitAsync(alice, "old rules", seeds: 1)).ReadObjectAsync();
        var run = (long)created["runIds"]![0]!;
        await CompleteAsync(run, 60, "v1", rulesVersion: "0");

        var response = await alice.PostAsync($"/api/v1/runs/{run}/rerun", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("trained under rules v0", (string)(await response.ReadObjectAsync())["detail"]!);
        Assert.Equal(1, await WithDbAsync(db => db.Runs.CountAsync()));
        // Under the track's own rules (v1) the same row is re-run.
        await WithDbAsync(async db => { (await db.Results.SingleAsync()).RulesVersion = "1"; return await db.SaveChangesAsync(); });
        Assert.Equal(HttpStatusCode.Accepted, (await alice.PostAsync($"/api/v1/runs/{run}/rerun", null)).StatusCode);
    }

    [Fact]
    public async Task The_csv_carries_n_the_interval_the_gap_test_and_the_verdict()
    {
        using var alice = await _platform.CreateUserClientAsync("alice");
        var created = await (await SubmitAsync(alice, "csv", seeds: 2)).ReadObjectAsync();
        await CompleteAsync((long)created["runIds"]![0]!, 60, null);
        await CompleteAsync((long)created["runIds"]![1]!, 64, null);

        var csv = await (await alice.GetAsync($"/api/v1/tracks/{PlatformFactory.TestTrackSlug}/leaderboard?format=csv")).Content.ReadAsStringAsync();

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var row = lines[0].Split(',').Zip(lines[1].Split(',')).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(("62", "2", "false", "", ""), (row["top1"], row["seeds"], row["singleSeed"], row["gapToAboveSignificant"], row["verified"]));
        Assert.StartsWith("25.41", row["top1Ci95"]);
    }

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string name, int seeds) =>
        client.PostAsJsonAsync("/api/v1/submissions", new { track = PlatformFactory.TestTrackSlug, name, recipe = TestRecipes.Small, seeds });

    private async Task<JsonObject> LeaderboardAsync()
    {
        using var client = _platform.CreateClient();
        return await (await client.GetAsync($"/api/v1/tracks/{PlatformFactory.TestTrackSlug}/leaderboard")).ReadObjectAsync();
    }

    /// <summary>What the worker records for a completed run, with the result's seed and seeded recipe hash.</summary>
    private Task<int> CompleteAsync(long runId, double top1, string? codeVersion, string? rulesVersion = null) => WithDbAsync(async db =>
    {
        var run = await db.Runs.Include(r => r.Submission).SingleAsync(r => r.Id == runId);
        var seeded = SeededRecipe.Of(run.Submission.RecipeCanonical, run.Seed);
        (run.Status, run.FinishedAt) = (RunStatus.Completed, DateTimeOffset.UtcNow);
        run.Result = new Result
        {
            Top1 = top1, Top5 = top1 + 20, Params = 1000, Gflops = 0.1, Device = "cpu", RecipeHash = seeded.Hash, Seed = run.Seed,
            CodeVersion = codeVersion, RulesVersion = rulesVersion, CreatedAt = DateTimeOffset.UtcNow,
        };
        return await db.SaveChangesAsync();
    });

    private async Task<T> WithDbAsync<T>(Func<LeaderboardDbContext, Task<T>> query)
    {
        await using var scope = _platform.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>());
    }
}

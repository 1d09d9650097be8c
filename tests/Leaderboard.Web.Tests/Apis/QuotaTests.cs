using System.Net;
using System.Net.Http.Json;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Apis;

/// <summary>Per-user quotas on a track (active runs, device hours per rolling day) and the write rate limit.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task A_run_over_the_active_runs_quota_is_429_naming_the_quota_and_stores_nothing()
    {
        await using var platform = await PlatformFactory.StartAsync(settings: new Dictionary<string, string> { ["Quotas:Default:MaxActiveRuns"] = "1" });
        using var alice = await platform.CreateUserClientAsync("alice");
        using var bob = await platform.CreateUserClientAsync("bob");
        var first = await (await alice.SubmitAsync(PlatformFactory.TestTrackSlug, "first", TestRecipes.Small)).ReadObjectAsync();

        var second = await alice.SubmitAsync(PlatformFactory.TestTrackSlug, "second", TestRecipes.Small);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        var problem = await second.ReadObjectAsync();
        Assert.Equal("activeRuns", (string)problem["quota"]!);
        Assert.Equal(1, (double)problem["usage"]!);
        Assert.Equal(1, (double)problem["limit"]!);
        Assert.Contains("limit is 1", (string)problem["detail"]!);
        Assert.Equal(1, await CountSubmissionsAsync(platform));

        // Another user has their own quota; a finished run frees the slot.
        Assert.Equal(HttpStatusCode.Created, (await bob.SubmitAsync(PlatformFactory.TestTrackSlug, "bob's", TestRecipes.Small)).StatusCode);
        await alice.PostAsync($"/api/v1/runs/{(long)first["runId"]!}/cancel", null);
        Assert.Equal(HttpStatusCode.Created, (await alice.SubmitAsync(PlatformFactory.TestTrackSlug, "third", TestRecipes.Small)).StatusCode);
    }

    [Fact]
    public async Task Device_hours_of_the_last_24_hours_are_counted_and_the_refusal_says_when_they_free()
    {
        await using var platform = await PlatformFactory.StartAsync(settings: new Dictionary<string, string>
        {
            [$"Quotas:Tracks:{PlatformFactory.TestTrackSlug}:GpuHoursPerDay"] = "1",
        });
        var alice = await platform.CreateUserAsync("alice");
        var now = DateTimeOffset.UtcNow;
        // 1.5 h of a run inside the window (started 23 h ago, ran 1.5 h); one from two days ago does not count, nor
        // does a run that failed through the platform's fault (its node was lost).
        await AddFinishedRunAsync(platform, alice.Id, started: now.AddHours(-23), finished: now.AddHours(-21.5));
        await AddFinishedRunAsync(platform, alice.Id, started: now.AddHours(-50), finished: now.AddHours(-40));
        await AddFinishedRunAsync(platform, alice.Id, started: now.AddHours(-6), finished: now.AddHours(-1), FailureClass.Platform);
        using var client = platform.CreateClient(alice);

        var response = await client.SubmitAsync(PlatformFactory.TestTrackSlug, "over", TestRecipes.Small);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var problem = await response.ReadObjectAsync();
        Assert.Equal("gpuHoursPerDay", (string)problem["quota"]!);
        Assert.Equal(1.5, (double)problem["usage"]!, 2);
        var freesAt = DateTimeOffset.Parse((string)problem["freesAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(freesAt, now.AddHours(1).AddMinutes(-1), now.AddHours(1).AddMinutes(1));
        Assert.InRange(int.Parse(response.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 3500, 3700);
        Assert.Equal(3, await CountSubmissionsAsync(platform));

        // Other tracks keep the default quota.
        Assert.Equal(HttpStatusCode.Created, (await client.SubmitAsync("synthetic-cpu-2min", "elsewhere", TestRecipes.Small)).StatusCode);
    }

    [Fact]
    public async Task Writes_over_the_rate_limit_are_429_with_Retry_After_per_token()
    {
        await using var platform = await PlatformFactory.StartAsync(settings: new Dictionary<string, string> { ["RateLimits:WritesPerMinute"] = "2" });
        using var alice = await platform.CreateUserClientAsync("alice");
        using var bob = await platform.CreateUserClientAsync("bob");

        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Created, (await alice.PostAsJsonAsync("/api/v1/tokens", new { name = $"t{i}" })).StatusCode);
        var limited = await alice.PostAsJsonAsync("/api/v1/tokens", new { name = "t3" });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta?.TotalSeconds > 0 || limited.Headers.Contains("Retry-After"));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, (await bob.PostAsJsonAsync("/api/v1/tokens", new { name = "b" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/v1/tokens")).StatusCode);
    }

    private static async Task AddFinishedRunAsync(PlatformFactory platform, string ownerId, DateTimeOffset started, DateTimeOffset finished,
        FailureClass? failure = null)
    {
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        var track = await db.Tracks.SingleAsync(t => t.Slug == PlatformFactory.TestTrackSlug);
        db.Runs.Add(new Run
        {
            Submission = new Submission
            {
                TrackId = track.Id, Name = "earlier", OwnerId = ownerId, RecipeText = "{}", RecipeCanonical = "{}", RecipeHash = "h", CreatedAt = started,
            },
            Status = failure is null ? RunStatus.Completed : RunStatus.Failed, FailureClass = failure,
            QueuedAt = started, StartedAt = started, FinishedAt = finished,
        });
        await db.SaveChangesAsync();
    }

    private static async Task<int> CountSubmissionsAsync(PlatformFactory platform)
    {
        await using var scope = platform.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>().Submissions.CountAsync();
    }
}

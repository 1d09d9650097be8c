using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Extensions;

/// <summary>/metrics as Prometheus scrapes it: runs by state, the queues' lengths, nodes online and offline.</summary>
public sealed class PlatformMetricsTests
{
    [Fact]
    public async Task Metrics_count_runs_by_state_queued_jobs_and_nodes()
    {
        await using var platform = await PlatformFactory.StartAsync(worker: false);
        using var client = await platform.CreateUserClientAsync();
        for (var seed = 1; seed <= 2; seed++)
            (await client.SubmitAsync(PlatformFactory.TestTrackSlug, $"queued {seed}", TestRecipes.Small.Replace("seed: 1", $"seed: {seed}"))).EnsureSuccessStatusCode();
        await using (var scope = platform.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.Nodes.Add(new Node { Name = "cpu-1", HardwareClass = "cpu", Slots = 1, PlatformVersion = "test", RuntimeVersion = "10", StartedAt = now, LastSeen = now });
            db.Nodes.Add(new Node { Name = "gpu-1", HardwareClass = "gpu", Slots = 1, PlatformVersion = "test", RuntimeVersion = "10", StartedAt = now.AddHours(-2), LastSeen = now.AddHours(-1) });
            await db.SaveChangesAsync();
        }

        var response = await client.GetAsync("/metrics");

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        Assert.Contains("# TYPE leaderboard_runs gauge", lines);
        Assert.Contains("leaderboard_runs{state=\"Queued\"} 2", lines);
        Assert.Contains("leaderboard_runs{state=\"Completed\"} 0", lines);
        Assert.Contains("leaderboard_queue_length{queue=\"cpu\"} 2", lines);
        Assert.Contains("leaderboard_queue_length{queue=\"gpu\"} 0", lines);
        Assert.Contains("leaderboard_nodes{hardware_class=\"cpu\",online=\"true\"} 1", lines);
        Assert.Contains("leaderboard_nodes{hardware_class=\"gpu\",online=\"false\"} 1", lines);
        Assert.Contains("leaderboard_nodes{hardware_class=\"gpu\",online=\"true\"} 0", lines);
    }
}

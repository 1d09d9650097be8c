using System.Net;
using System.Text.Json.Nodes;
using Leaderboard.Web.Tests.Infrastructure;

namespace Leaderboard.Web.Tests.Extensions;

/// <summary>Liveness and readiness as a load balancer or an orchestrator sees them while the database goes away and comes back.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Readiness_follows_the_database_down_and_back_while_liveness_stays_up()
    {
        await using var platform = await PlatformFactory.StartAsync(outage: true);
        using var client = platform.CreateClient();

        var ready = await ReadinessAsync(client);
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal(("Healthy", "Healthy", "Healthy"), (Status(ready.Body, "database"), Status(ready.Body, "jobStorage"), Status(ready.Body, "worker")));

        platform.Outage!.TakeDown();
        var down = await ReadinessAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.Status);
        Assert.Equal("Unhealthy", (string)down.Body["status"]!);
        Assert.Equal(("Unhealthy", "Unhealthy"), (Status(down.Body, "database"), Status(down.Body, "jobStorage")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        platform.Outage.BringBack();
        // A pooled connection cut during the outage fails once when next used: readiness comes back within a few checks.
        var back = await ReadinessAsync(client);
        for (var attempt = 0; attempt < 20 && back.Status != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(250);
            back = await ReadinessAsync(client);
        }
        Assert.Equal(HttpStatusCode.OK, back.Status);
    }

    [Fact]
    public async Task A_web_host_without_a_worker_has_no_node_health()
    {
        await using var platform = await PlatformFactory.StartAsync(worker: false);
        using var client = platform.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/health/node")).StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> ReadinessAsync(HttpClient client)
    {
        var response = await client.GetAsync("/health/ready");
        return (response.StatusCode, await response.ReadObjectAsync());
    }

    private static string Status(JsonObject report, string check) => (string)report["checks"]![check]!["status"]!;
}

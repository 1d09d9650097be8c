using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Leaderboard.Web.Features.Webhooks;
using Leaderboard.Web.Tests.Infrastructure;
using Npgsql;

namespace Leaderboard.Web.Tests.Apis;

/// <summary>Webhooks end to end on loopback: each run state change is POSTed, signed, retried, and logged for the owner.</summary>
public sealed class WebhookTests
{
    private static readonly Dictionary<string, string> FastDelivery = new()
    {
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:PollInterval"] = "00:00:00.100",
        ["Webhooks:FirstRetryDelay"] = "00:00:00.200",
    };

    [Fact]
    public async Task Run_state_changes_are_posted_signed_to_the_owners_webhook()
    {
        await using var platform = await PlatformFactory.StartAsync(settings: FastDelivery);
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var othersReceiver = await WebhookReceiver.StartAsync();
        using var alice = await platform.CreateUserClientAsync("alice");
        using var bob = await platform.CreateUserClientAsync("bob");
        var secret = await RegisterAsync(alice, receiver.Url);
        await RegisterAsync(bob, othersReceiver.Url);

        var submission = await (await alice.SubmitAsync(PlatformFactory.TestTrackSlug, "hooked", TestRecipes.Small)).ReadObjectAsync();
        var runId = (long)submission["runId"]!;
        var queued = await receiver.NextAsync();
        // A change written by another process (the worker) reaches the webhook too: the trigger on runs records it.
        await ExecuteAsync(platform, $"UPDATE runs SET status = 'Running', started_at = now() WHERE id = {runId}");
        var running = await receiver.NextAsync();

        foreach (var (delivery, status, previous) in new[] { (queued, "Queued", (string?)null), (running, "Running", "Queued") })
        {
            Assert.Equal(WebhookSignature.Sign(secret, long.Parse(delivery.Headers[WebhookSignature.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture), delivery.Body),
                delivery.Headers[WebhookSignature.SignatureHeader]);
            Assert.Equal("run.status_changed", delivery.Headers[WebhookSignature.EventHeader]);
            var body = JsonNode.Parse(delivery.Body)!;
            Assert.Equal("run.status_changed", (string)body["type"]!);
            Assert.Equal(runId, (long)body["data"]!["runId"]!);
            Assert.Equal(status, (string)body["data"]!["status"]!);
            Assert.Equal(previous, (string?)body["data"]!["previousStatus"]);
            Assert.Equal("hooked", (string)body["data"]!["submissionName"]!);
        }
        Assert.NotEqual(WebhookSignature.Sign("whsec_wrong", 0, queued.Body), queued.Headers[WebhookSignature.SignatureHeader]);
        Assert.Equal(0, othersReceiver.Requests);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_and_the_owner_reads_the_delivery_log()
    {
        await using var platform = await PlatformFactory.StartAsync(settings: FastDelivery);
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        using var alice = await platform.CreateUserClientAsync("alice");
        using var bob = await platform.CreateUserClientAsync("bob");
        var created = await (await alice.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString() })).ReadObjectAsync();
        var hookId = (long)created["id"]!;

        await alice.SubmitAsync(PlatformFactory.TestTrackSlug, "retried", TestRecipes.Small);
        var delivered = await receiver.NextAsync();

        Assert.Equal(3, receiver.Requests);
        var log = await WaitForLogAsync(alice, hookId, d => (string)d["state"]! == "Delivered");
        var entry = Assert.Single(log)!;
        Assert.Equal(3, (int)entry["attempts"]!);
        Assert.Equal(200, (int)entry["responseStatus"]!);
        Assert.Equal("Queued", (string)entry["status"]!);
        Assert.Equal((long)JsonNode.Parse(delivered.Body)!["id"]!, (long)entry["eventId"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v1/webhooks/{hookId}/deliveries")).StatusCode);
        Assert.DoesNotContain("secret", (await alice.GetStringAsync("/api/v1/webhooks")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Deliveries_to_loopback_are_refused_unless_private_networks_are_allowed()
    {
        await using var platform = await PlatformFactory.StartAsync(settings: new Dictionary<string, string>
        {
            ["Webhooks:PollInterval"] = "00:00:00.100",
            ["Webhooks:MaxAttempts"] = "1",
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        using var alice = await platform.CreateUserClientAsync("alice");
        var hookId = (long)(await (await alice.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString() })).ReadObjectAsync())["id"]!;

        await alice.SubmitAsync(PlatformFactory.TestTrackSlug, "internal", TestRecipes.Small);

        var entry = Assert.Single(await WaitForLogAsync(alice, hookId, d => (string)d["state"]! == "Failed"))!;
        Assert.Contains("private or loopback", (string)entry["error"]!);
        Assert.Equal(0, receiver.Requests);
    }

    private static async Task<string> RegisterAsync(HttpClient client, Uri url)
    {
        var response = await client.PostAsJsonAsync("/api/v1/webhooks", new { url = url.ToString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var secret = (string)(await response.ReadObjectAsync())["secret"]!;
        Assert.StartsWith("whsec_", secret);
        return secret;
    }

    private static async Task<JsonArray> WaitForLogAsync(HttpClient client, long hookId, Func<JsonNode, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var log = JsonNode.Parse(await client.GetStringAsync($"/api/v1/webhooks/{hookId}/deliveries"))!.AsArray();
            if (log.Count > 0 && log.All(d => done(d!)) || DateTime.UtcNow > until) return log;
            await Task.Delay(100);
        }
    }

    private static async Task ExecuteAsync(PlatformFactory platform, string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

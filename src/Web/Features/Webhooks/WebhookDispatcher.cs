using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Leaderboard.Web.Features.Webhooks;

/// <summary>
/// Delivers run state changes to webhooks. Two steps each round, both safe with several web hosts at once:
/// (1) fan-out: claims run events from the outbox that the <c>runs</c> trigger fills (<c>FOR UPDATE SKIP LOCKED</c>),
/// writes one delivery per webhook of the run's owner and deletes the events, in one transaction; (2) sending: claims
/// due deliveries by moving their due time forward (a lease), POSTs each signed body, and records the outcome, with
/// exponentially growing waits between attempts.
/// </summary>
public sealed class WebhookDispatcher(IDbContextFactory<LeaderboardDbContext> dbFactory, IHttpClientFactory httpClients,
    IDataProtectionProvider protection, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    public const string EventType = "run.status_changed";
    private const int BatchSize = 50;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            try
            {
                while (await FanOutAsync(stoppingToken) == BatchSize) { }
                while (await SendDueAsync(stoppingToken) == BatchSize) { }
            }
            // EF wraps a dropped connection in an InvalidOperationException: an outage must not stop the site.
            catch (Exception exception) when (exception is DbUpdateException || Data.DatabaseOutage.IsOutage(exception))
            {
                logger.LogError(exception, "Webhook dispatch failed; retrying next round");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Turns claimed run events into deliveries; returns how many events it took.</summary>
    public async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var events = await db.RunEvents.FromSql($"SELECT * FROM run_events ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .AsNoTracking().ToListAsync(cancellationToken);
        if (events.Count == 0) return 0;

        var runIds = events.Select(e => e.RunId).Distinct().ToList();
        var runs = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id))
            .Select(r => new RunFacts(r.Id, r.SubmissionId, r.Submission.Name, r.Submission.Track.Slug, r.Submission.OwnerId, r.FailureReason))
            .ToDictionaryAsync(r => r.RunId, cancellationToken);
        var owners = runs.Values.Select(r => r.OwnerId).OfType<string>().Distinct().ToList();
        var hooks = (await db.Webhooks.AsNoTracking().Where(w => owners.Contains(w.UserId)).Select(w => new { w.Id, w.UserId }).ToListAsync(cancellationToken))
            .ToLookup(w => w.UserId, w => w.Id);
        var now = clock.GetUtcNow();
        foreach (var runEvent in events)
        {
            if (!runs.TryGetValue(runEvent.RunId, out var run) || run.OwnerId is null) continue;
            var payload = JsonSerializer.Serialize(new WebhookEvent(runEvent.Id, EventType, runEvent.OccurredAt, new RunEventData(run.RunId, run.SubmissionId,
                run.SubmissionName, run.Track, runEvent.Status, runEvent.PreviousStatus, IsFinal(runEvent.Status) ? run.FailureReason : null)), Json);
            foreach (var hookId in hooks[run.OwnerId])
            {
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    WebhookId = hookId, EventId = runEvent.Id, RunId = run.RunId, Status = runEvent.Status, Payload = payload,
                    State = DeliveryState.Pending, CreatedAt = now, NextAttemptAt = now,
                });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        var ids = events.Select(e => e.Id).ToList();
        await db.RunEvents.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return events.Count;
    }

    private static bool IsFinal(string status) => Enum.TryParse<RunStatus>(status, out var s) && new Run { Status = s }.IsFinished;

    /// <summary>Sends the deliveries that are due; returns how many it claimed.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        List<WebhookDelivery> due;
        Dictionary<long, (string Url, string ProtectedSecret)> hooks;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var now = clock.GetUtcNow();
            // The lease: another host skips these until it passes (a host that dies mid-send leaves them to be retried then).
            var lease = now + settings.Timeout * 2;
            due = await db.WebhookDeliveries.FromSql($"""
                UPDATE webhook_deliveries SET next_attempt_at = {lease}
                WHERE id IN (SELECT id FROM webhook_deliveries WHERE state = 'Pending' AND next_attempt_at <= {now}
                             ORDER BY next_attempt_at, id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).AsNoTracking().ToListAsync(cancellationToken);
            if (due.Count == 0) return 0;
            var hookIds = due.Select(d => d.WebhookId).Distinct().ToList();
            hooks = await db.Webhooks.AsNoTracking().Where(w => hookIds.Contains(w.Id))
                .ToDictionaryAsync(w => w.Id, w => (w.Url, w.ProtectedSecret), cancellationToken);
        }

        var protector = protection.CreateProtector(WebhookRegistry.SecretPurpose);
        foreach (var delivery in due.OrderBy(d => d.EventId))
        {
            if (!hooks.TryGetValue(delivery.WebhookId, out var hook)) continue;
            var (status, error) = await PostAsync(delivery, hook.Url, protector.Unprotect(hook.ProtectedSecret), cancellationToken);
            await RecordAsync(delivery, status, error, cancellationToken);
        }
        return due.Count;
    }

    private async Task<(int? Status, string? Error)> PostAsync(WebhookDelivery delivery, string url, string secret, CancellationToken cancellationToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.EventHeader, EventType);
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, delivery.Payload));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException exception)
        {
            return (null, Truncate($"Could not deliver: {exception.Message}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"No answer within {options.Value.Timeout.TotalSeconds:0} s.");
        }
    }

    private async Task RecordAsync(WebhookDelivery delivery, int? status, string? error, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var attempts = delivery.Attempts + 1;
        var delivered = error is null;
        var state = delivered ? DeliveryState.Delivered : attempts >= settings.MaxAttempts ? DeliveryState.Failed : DeliveryState.Pending;
        DateTimeOffset? next = state == DeliveryState.Pending ? now + settings.RetryDelay(attempts) : null;
        if (!delivered) logger.LogWarning("Webhook delivery {DeliveryId} attempt {Attempt} failed: {Error}", delivery.Id, attempts, error);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Attempts, attempts)
            .SetProperty(d => d.State, state)
            .SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.ResponseStatus, status)
            .SetProperty(d => d.Error, error)
            .SetProperty(d => d.DeliveredAt, delivered ? now : null), cancellationToken);
    }

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];

    /// <summary>
    /// Connects only to public addresses unless <see cref="WebhookOptions.AllowPrivateNetworks"/>: the address actually
    /// connected to is checked, so a DNS name that resolves to an internal address (or changes to one) is refused too.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(WebhookOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => options.AllowPrivateNetworks || IsPublic(a)).ToArray();
            if (allowed.Length == 0)
                throw new HttpRequestException($"'{context.DnsEndPoint.Host}' resolves only to private or loopback addresses, which webhooks may not reach.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 127 || b[0] == 0 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                 || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224);
    }

    private sealed record RunFacts(long RunId, long SubmissionId, string SubmissionName, string Track, string? OwnerId, string? FailureReason);
}

/// <summary>The JSON body of a webhook delivery (a contract for receivers: extend, never rename).</summary>
public sealed record WebhookEvent(long Id, string Type, DateTimeOffset OccurredAt, RunEventData Data);

public sealed record RunEventData(long RunId, long SubmissionId, string SubmissionName, string Track, string Status, string? PreviousStatus, string? FailureReason);

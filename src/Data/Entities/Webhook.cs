namespace Leaderboard.Data.Entities;

/// <summary>A URL that receives a signed POST on every state change of its owner's runs.</summary>
public sealed class Webhook
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public User User { get; set; } = null!;
    public required string Url { get; set; }
    /// <summary>The HMAC secret, encrypted with ASP.NET Data Protection (it must be readable to sign, so it cannot be hashed).</summary>
    public required string ProtectedSecret { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<WebhookDelivery> Deliveries { get; set; } = [];
}

public enum DeliveryState { Pending, Delivered, Failed }

/// <summary>One event sent (or being sent) to one webhook: the exact body signed, and how its attempts went.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public long WebhookId { get; set; }
    /// <summary>The run event's id: receivers de-duplicate retries by it.</summary>
    public long EventId { get; set; }
    public long RunId { get; set; }
    public required string Status { get; set; }
    public required string Payload { get; set; }
    public DeliveryState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the next attempt is due (also a claim: a sender moves it forward before it posts).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? ResponseStatus { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>
/// The outbox of run state changes: a trigger on <c>runs</c> writes a row in the same transaction as every change of
/// status (whoever changes it: the worker, a cancel, a re-queue), and the web app's webhook dispatcher consumes it.
/// </summary>
public sealed class RunEvent
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public required string Status { get; set; }
    public string? PreviousStatus { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}

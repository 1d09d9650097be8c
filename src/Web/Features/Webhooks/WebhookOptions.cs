using System.ComponentModel.DataAnnotations;

namespace Leaderboard.Web.Features.Webhooks;

/// <summary>Webhook delivery (section "Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>How often the dispatcher looks for run events and due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts per delivery before it is marked failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait before the first retry; it doubles after each failed attempt (capped at <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long one POST may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 1000)]
    public int MaxPerUser { get; set; } = 10;

    /// <summary>
    /// Whether deliveries may go to loopback, private and link-local addresses. Off by default: a webhook URL must not
    /// reach into the platform's own network. Tests (loopback receivers) and closed deployments turn it on.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    public TimeSpan RetryDelay(int failedAttempts)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}

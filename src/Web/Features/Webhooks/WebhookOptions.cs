using System.ComponentModel.DataAnnotations;

namespace Leaderboard.Web.Features.Webhooks;

/// <summary>Webhook delivery (section "Webhooks"), validated on start; each message names the variable to fix.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>How often the dispatcher looks for run events and due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Attempts per delivery before it is marked failed.</summary>
    [Range(1, 50, ErrorMessage = "Webhooks__MaxAttempts must be between {1} and {2}.")]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait before the first retry; it doubles after each failed attempt (capped at <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long one POST may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 1000, ErrorMessage = "Webhooks__MaxPerUser must be between {1} and {2}.")]
    public int MaxPerUser { get; set; } = 10;

    /// <summary>
    /// Whether deliveries may go to loopback, private and link-local addresses. Off by default: a webhook URL must not
    /// reach into the platform's own network. Tests (loopback receivers) and closed deployments turn it on.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(PollInterval), PollInterval), (nameof(FirstRetryDelay), FirstRetryDelay), (nameof(MaxRetryDelay), MaxRetryDelay), (nameof(Timeout), Timeout) })
        {
            if (value <= TimeSpan.Zero) yield return new ValidationResult($"Webhooks__{name} must be a positive time span (hh:mm:ss).", [name]);
        }
    }

    public TimeSpan RetryDelay(int failedAttempts)
    {
        var delay = FirstRetryDelay * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}

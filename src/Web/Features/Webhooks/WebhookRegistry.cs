using System.Security.Cryptography;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Extensions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Features.Webhooks;

public sealed record CreatedWebhook(Webhook Webhook, string Secret);

/// <summary>A user's webhooks: registered (the signing secret shown once), listed, removed, and their delivery log.</summary>
public sealed class WebhookRegistry(LeaderboardDbContext db, IDataProtectionProvider protection, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public const int MaxUrlLength = 2000;
    /// <summary>The Data Protection purpose of webhook secrets (the secret must be readable again to sign, so it is encrypted, not hashed).</summary>
    public const string SecretPurpose = "Leaderboard.Webhooks.Secret.v1";

    public static Dictionary<string, string[]> ValidateUrl(string? url)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(url)) errors["url"] = ["A URL is required."];
        else if (InputRules.CheckText(errors, "url", url, MaxUrlLength)
                 && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0))
            errors["url"] = ["The URL must be an absolute http(s) URL without credentials."];
        return errors;
    }

    public async Task<CreatedWebhook> CreateAsync(string userId, string url, CancellationToken cancellationToken)
    {
        var secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var webhook = new Webhook
        {
            UserId = userId, Url = url, ProtectedSecret = protection.CreateProtector(SecretPurpose).Protect(secret), CreatedAt = clock.GetUtcNow(),
        };
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhook(webhook, secret);
    }

    public async Task<bool> IsFullAsync(string userId, CancellationToken cancellationToken) =>
        await db.Webhooks.CountAsync(w => w.UserId == userId, cancellationToken) >= options.Value.MaxPerUser;

    public int MaxPerUser => options.Value.MaxPerUser;

    public Task<List<Webhook>> ListAsync(string userId, CancellationToken cancellationToken) =>
        db.Webhooks.AsNoTracking().Where(w => w.UserId == userId).OrderBy(w => w.Id).ToListAsync(cancellationToken);

    /// <summary>Removes one of the user's webhooks with its delivery log; false when the user has no such webhook.</summary>
    public async Task<bool> DeleteAsync(string userId, long id, CancellationToken cancellationToken) =>
        await db.Webhooks.Where(w => w.Id == id && w.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>The newest deliveries of one of the user's webhooks; null when the user has no such webhook.</summary>
    public async Task<List<WebhookDelivery>?> DeliveriesAsync(string userId, long id, int limit, CancellationToken cancellationToken)
    {
        if (!await db.Webhooks.AnyAsync(w => w.Id == id && w.UserId == userId, cancellationToken)) return null;
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id).OrderByDescending(d => d.Id).Take(limit).ToListAsync(cancellationToken);
    }
}

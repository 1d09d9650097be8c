using System.Security.Cryptography;
using System.Text;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Features.Accounts;

public sealed record CreatedToken(ApiToken Token, string Secret);

/// <summary>Personal API tokens: created (the secret shown once), listed, revoked. Only their SHA-256 is stored.</summary>
public sealed class ApiTokens(LeaderboardDbContext db, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    public const int MaxTokensPerUser = 50;
    private const string SecretPrefix = "lbt_";

    public async Task<CreatedToken> CreateAsync(string userId, string name, CancellationToken cancellationToken)
    {
        // 256 random bits: a plain SHA-256 is a sufficient hash for a secret that cannot be guessed (no salt or slow hash needed).
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken
        {
            UserId = userId, Name = name, Prefix = secret[..(SecretPrefix.Length + 6)], Hash = Hash(secret), CreatedAt = clock.GetUtcNow(),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedToken(token, secret);
    }

    public Task<int> CountActiveAsync(string userId, CancellationToken cancellationToken) =>
        db.ApiTokens.CountAsync(t => t.UserId == userId && t.RevokedAt == null, cancellationToken);

    public Task<List<ApiToken>> ListAsync(string userId, CancellationToken cancellationToken) =>
        db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync(cancellationToken);

    /// <summary>Revokes one of the user's tokens; false when the user has no such token.</summary>
    public async Task<bool> RevokeAsync(string userId, long id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var found = await db.ApiTokens.Where(t => t.Id == id && t.UserId == userId).ToListAsync(cancellationToken);
        if (found.Count == 0) return false;
        found[0].RevokedAt ??= now;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

namespace Leaderboard.Data.Entities;

/// <summary>
/// A personal API token. Only the SHA-256 of the token is stored (the token is 256 random bits, so a plain hash is
/// enough; no salt or slow hash needed); the token itself is shown once, when it is created.
/// </summary>
public sealed class ApiToken
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public User User { get; set; } = null!;
    public required string Name { get; set; }
    /// <summary>The token's first characters, so that a user can tell tokens apart in lists.</summary>
    public required string Prefix { get; set; }
    /// <summary>Lower-case hex SHA-256 of the whole token.</summary>
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

using Microsoft.AspNetCore.Identity;

namespace Leaderboard.Data.Entities;

/// <summary>An account (ASP.NET Core Identity). Submissions, API tokens and webhooks belong to one.</summary>
public sealed class User : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}

namespace Leaderboard.Web.Extensions;

/// <summary>Access to writes: bound from the "Auth" section; <c>LB_ADMIN_TOKEN</c> sets the bootstrap admin token.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>A bootstrap admin API token; clients send it as <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public string? AdminToken { get; set; }

    /// <summary>Whether writes need a token. Off in the embedded default until accounts arrive; a token that is sent is always checked.</summary>
    public bool RequireTokenForWrites { get; set; }
}

namespace Leaderboard.Web.Features.Accounts;

public static class LocalUrls
{
    /// <summary>A return URL only when it stays on this site (no open redirects), the home page otherwise.</summary>
    public static string OrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}

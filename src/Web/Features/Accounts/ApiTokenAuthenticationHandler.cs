using System.Security.Claims;
using System.Text.Encodings.Web;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Features.Accounts;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c>: a personal API token (looked up by its SHA-256) or the bootstrap admin
/// token. The principal is the token owner's, as a signed-in user of the site would have it (same claims and roles),
/// plus the token's id (rate limits are per token).
/// </summary>
public sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    LeaderboardDbContext db, UserManager<User> users, IUserClaimsPrincipalFactory<User> principals, IOptions<AdminOptions> admin,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenClaim = "lb:token";
    private const string BearerPrefix = "Bearer ";
    /// <summary>Last-used times are kept to the minute: no database write on every request.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public static bool HasBearer(HttpRequest request) => request.Headers.Authorization.ToString().StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearer(Request)) return AuthenticateResult.NoResult();
        var secret = Request.Headers.Authorization.ToString()[BearerPrefix.Length..].Trim();
        if (secret.Length is 0 or > 200) return AuthenticateResult.Fail("The API token is not valid.");

        User? user;
        string tokenKey;
        if (admin.Value.Token is { Length: > 0 } bootstrap && ApiTokens.FixedTimeEquals(secret, bootstrap))
        {
            user = await users.FindByNameAsync(admin.Value.UserName);
            tokenKey = "bootstrap";
        }
        else
        {
            // The lookup is by hash: its timing can reveal nothing about a secret's characters.
            var hash = ApiTokens.Hash(secret);
            var token = await db.ApiTokens.Include(t => t.User).SingleOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
            if (token is null || !ApiTokens.FixedTimeEquals(token.Hash, hash)) return AuthenticateResult.Fail("The API token is not valid.");
            if (token.RevokedAt is not null) return AuthenticateResult.Fail("The API token was revoked.");
            var now = TimeProvider.GetUtcNow();
            if (token.LastUsedAt is null || now - token.LastUsedAt > LastUsedResolution)
            {
                await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
            }
            user = token.User;
            tokenKey = token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (user is null) return AuthenticateResult.Fail("The API token's account no longer exists.");
        if (await users.IsLockedOutAsync(user)) return AuthenticateResult.Fail("The API token's account is locked.");

        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims.Append(new Claim(TokenClaim, tokenKey)), SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = "Bearer";
        await AccessProblems.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized,
            result.Failure?.Message ?? AccessProblems.SignInRequired);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AccessProblems.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, "This token's account may not do this.");
}

/// <summary>The 401/403 problem bodies of the API (both authentication schemes write them).</summary>
public static class AccessProblems
{
    public const string SignInRequired = "This operation needs an account: send 'Authorization: Bearer <token>' (create a token at /account/tokens) or sign in.";

    public static async Task WriteAsync(IProblemDetailsService problems, HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden", Detail = detail },
        });
    }
}

using Leaderboard.Data.Entities;
using Leaderboard.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Infrastructure;

/// <summary>An account made for a test, with a personal API token.</summary>
public sealed record TestUser(string Id, string UserName, string Email, string Password, string Token);

public static class TestUsers
{
    public const string Password = "correct horse battery";

    /// <summary>Creates an account (admin when asked) and an API token for it, through the app's own services.</summary>
    public static async Task<TestUser> CreateUserAsync(this PlatformFactory platform, string userName, bool admin = false)
    {
        await using var scope = platform.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = new User { UserName = userName, Email = $"{userName}@example.test", CreatedAt = DateTimeOffset.UtcNow };
        Check(await users.CreateAsync(user, Password));
        if (admin) Check(await users.AddToRoleAsync(user, Roles.Admin));
        var token = await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(user.Id, "tests", CancellationToken.None);
        return new TestUser(user.Id, userName, user.Email, Password, token.Secret);
    }

    /// <summary>A client that sends the user's API token.</summary>
    public static HttpClient CreateClient(this PlatformFactory platform, TestUser user) => platform.CreateClient(user.Token);

    public static HttpClient CreateClient(this PlatformFactory platform, string bearerToken)
    {
        var client = platform.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", bearerToken);
        return client;
    }

    /// <summary>A signed-in user's client for the API: creates an account named <paramref name="userName"/>.</summary>
    public static async Task<HttpClient> CreateUserClientAsync(this PlatformFactory platform, string userName = "alice") =>
        platform.CreateClient(await platform.CreateUserAsync(userName));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}

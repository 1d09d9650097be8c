using Leaderboard.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Features.Accounts;

/// <summary>On start: the admin role exists, and the configured first admin (or the bootstrap token's user) is one.</summary>
public static class AdminBootstrap
{
    public static async Task EnsureAdminAsync(IServiceProvider services, TimeProvider clock)
    {
        var options = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        var users = services.GetRequiredService<UserManager<User>>();
        if (!await roles.RoleExistsAsync(Roles.Admin)) Check(await roles.CreateAsync(new IdentityRole(Roles.Admin)), "the admin role");

        var wanted = !string.IsNullOrEmpty(options.Email) || !string.IsNullOrEmpty(options.Token);
        if (!wanted) return;
        var user = await users.FindByNameAsync(options.UserName);
        if (user is null)
        {
            // Accounts need a unique email: a token-only admin gets one under the reserved .invalid domain (RFC 2606).
            var email = options.Email ?? $"{options.UserName}@bootstrap.invalid";
            user = new User { UserName = options.UserName, Email = email, EmailConfirmed = options.Email is not null, CreatedAt = clock.GetUtcNow() };
            // Without a password (token only) the account cannot sign in to the site.
            Check(options.Password is { Length: > 0 } password ? await users.CreateAsync(user, password) : await users.CreateAsync(user), "the admin account");
        }
        if (!await users.IsInRoleAsync(user, Roles.Admin)) Check(await users.AddToRoleAsync(user, Roles.Admin), "the admin account's role");
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {what} from the Admin settings: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}

using Leaderboard.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Leaderboard.Web.Features.Accounts;

public static class AccountEndpoints
{
    /// <summary>Sign-out: a form post (antiforgery-checked because it binds a form field), then back home.</summary>
    public static void MapAccountEndpoints(this WebApplication app) =>
        app.MapPost("/account/logout", async ([FromForm] string? returnUrl, SignInManager<User> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect(LocalUrls.OrHome(returnUrl));
        }).ExcludeFromDescription();
}

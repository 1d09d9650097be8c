using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Leaderboard.Web.Features.Accounts;

public static class AccountsRegistration
{
    /// <summary>Picks the API token scheme when a bearer token is sent, the site's sign-in cookie otherwise.</summary>
    private const string SmartScheme = "CookieOrToken";

    /// <summary>Identity on our PostgreSQL, the site's cookie and the API's bearer tokens, the ownership rule, the first admin.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().Bind(configuration.GetSection(AdminOptions.Section))
            .PostConfigure(o =>
            {
                // Empty settings (e.g. unset compose variables) mean "not configured".
                o.Token = NullIfEmpty(o.Token) ?? NullIfEmpty(Environment.GetEnvironmentVariable("LB_ADMIN_TOKEN"));
                o.Email = NullIfEmpty(o.Email);
                o.Password = NullIfEmpty(o.Password);
            })
            .ValidateDataAnnotations().ValidateOnStart();

        // Keys in the database: every web host can read every other's cookies and webhook secrets, and they survive redeploys.
        services.AddDataProtection().SetApplicationName("Leaderboard").PersistKeysToDbContext<LeaderboardDbContext>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or API token", o => o.ForwardDefaultSelector = context =>
                ApiTokenAuthenticationHandler.HasBearer(context.Request) ? ApiTokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(o =>
            {
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/account/login";
                // The API answers 401/403 problems instead of redirecting to the sign-in page.
                o.Events.OnRedirectToLogin = context => ApiOrRedirectAsync(context, StatusCodes.Status401Unauthorized, AccessProblems.SignInRequired);
                o.Events.OnRedirectToAccessDenied = context => ApiOrRedirectAsync(context, StatusCodes.Status403Forbidden, "Your account may not do this.");
            }));

        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireDigit = false;
                o.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<LeaderboardDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .AddPolicy(ManageSubmissionRequirement.Policy, p => p.AddRequirements(new ManageSubmissionRequirement()));
        services.AddSingleton<IAuthorizationHandler, SubmissionOwnerHandler>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<ApiTokens>();
        return services;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static Task ApiOrRedirectAsync(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context,
        int status, string detail)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        return AccessProblems.WriteAsync(context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>(), context.HttpContext, status, detail);
    }
}

using System.Security.Claims;
using Hangfire.Dashboard;
using Leaderboard.Web.Features.Accounts;

namespace Leaderboard.Web.Extensions;

/// <summary>
/// Who may open the Hangfire dashboard: any signed-in user (Hangfire answers 401 to anyone else); only the "admin"
/// role may act on jobs (the others get it read-only).
/// </summary>
public sealed class DashboardAccess : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.Identity?.IsAuthenticated == true;

    public static bool IsAdmin(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Admin);
}

using System.Security.Claims;
using Leaderboard.Data.Entities;
using Microsoft.AspNetCore.Authorization;

namespace Leaderboard.Web.Features.Accounts;

/// <summary>
/// Who may change a submission (cancel its run, run it again): its author or an admin. The one rule the API and the
/// site both go through (<see cref="IAuthorizationService"/> with policy <see cref="Policy"/> and the submission).
/// </summary>
public sealed class ManageSubmissionRequirement : IAuthorizationRequirement
{
    public const string Policy = "ManageSubmission";
}

public sealed class SubmissionOwnerHandler : AuthorizationHandler<ManageSubmissionRequirement, Submission>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ManageSubmissionRequirement requirement, Submission resource)
    {
        var userId = context.User.UserId();
        if (userId is not null && (resource.OwnerId == userId || context.User.IsInRole(Roles.Admin)))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

public static class Roles
{
    public const string Admin = "admin";
}

public static class PrincipalExtensions
{
    /// <summary>The signed-in (or token-authenticated) user's id; null for anonymous callers.</summary>
    public static string? UserId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;
}

using System.Globalization;
using Leaderboard.Web.Features.Quotas;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leaderboard.Web.Apis;

/// <summary>The problems of the API's writes beyond 400/404/409: someone else's resource, a quota.</summary>
internal static class WriteProblems
{
    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>429 naming the quota, the usage against its limit and when it frees (also as <c>Retry-After</c> when known).</summary>
    public static ProblemHttpResult OverQuota(HttpContext http, QuotaRefusal refusal)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["quota"] = refusal.Quota,
            ["usage"] = refusal.Usage,
            ["limit"] = refusal.Limit,
            ["freesAt"] = refusal.FreesAt,
        };
        if (refusal.FreesAt is { } freesAt)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling((freesAt - DateTimeOffset.UtcNow).TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        return TypedResults.Problem(refusal.Message, statusCode: StatusCodes.Status429TooManyRequests, title: "Quota exceeded", extensions: extensions);
    }
}

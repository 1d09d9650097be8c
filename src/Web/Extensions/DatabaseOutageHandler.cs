using Leaderboard.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Leaderboard.Web.Extensions;

/// <summary>
/// While PostgreSQL is unreachable (restart, failover), a request that needed it gets 503 with <c>Retry-After</c> and
/// a message saying so — a problem document on the API, a short page on the site — instead of a 500.
/// </summary>
public sealed class DatabaseOutageHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public const int RetryAfterSeconds = 10;

    public const string Message =
        "The database is unavailable for a moment (a restart or maintenance). Nothing is lost and running trainings go on; please try again in a few seconds.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseOutage.IsOutage(exception)) return false;
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (httpContext.Request.Path.StartsWithSegments("/api"))
        {
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "The database is unavailable.", Detail = Message },
            });
        }
        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{RetryAfterSeconds}"><title>Leaderboard: back in a moment</title></head>
            <body><h1>Back in a moment</h1><p>{Message}</p><p>This page reloads itself in {RetryAfterSeconds} seconds.</p></body></html>
            """, cancellationToken);
        return true;
    }
}

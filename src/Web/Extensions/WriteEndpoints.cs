using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Leaderboard.Web.Features.Accounts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;

namespace Leaderboard.Web.Extensions;

/// <summary>Rate limits on writes (section "RateLimits"): per API token, else per user, else per client address.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    [System.ComponentModel.DataAnnotations.Range(1, 100_000, ErrorMessage = "RateLimits__WritesPerMinute must be between {1} and {2}.")]
    public int WritesPerMinute { get; set; } = 60;
}

/// <summary>
/// What every API write goes through: an account (cookie or bearer token), the write rate limit, strict JSON (unknown
/// fields and wrong types are 400 problems naming the field) and a body size cap.
/// </summary>
public static class WriteEndpoints
{
    public const string RateLimitPolicy = "writes";
    /// <summary>Largest API request body: a 64 KiB recipe with room for JSON escaping.</summary>
    public const long MaxBodyBytes = 256 * 1024;

    public static RouteHandlerBuilder RequireWriter(this RouteHandlerBuilder endpoint) =>
        endpoint.RequireAuthorization().RequireRateLimiting(RateLimitPolicy)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status429TooManyRequests);

    public static IServiceCollection AddWriteProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            o.SerializerOptions.AllowTrailingCommas = false;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        // Bad request bodies throw, so that BadRequestHandler can answer with a problem naming the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestHandler>();

        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var writesPerMinute = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>()?.WritesPerMinute ?? new RateLimitOptions().WritesPerMinute;
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetTokenBucketLimiter(PartitionKey(http), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = writesPerMinute,
                TokensPerPeriod = writesPerMinute,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await AccessProblems.WriteAsync(http.RequestServices.GetRequiredService<IProblemDetailsService>(), http,
                    StatusCodes.Status429TooManyRequests, $"Too many writes: at most {writesPerMinute} a minute. Retry after the time in Retry-After.");
            };
        });
        return services;
    }

    private static string PartitionKey(HttpContext http) =>
        http.User.FindFirstValue(ApiTokenAuthenticationHandler.TokenClaim) is { } token ? "token:" + token
        : http.User.UserId() is { } user ? "user:" + user
        : "ip:" + http.Connection.RemoteIpAddress;

    /// <summary>Refuses API request bodies over <see cref="MaxBodyBytes"/> (by Content-Length, and on Kestrel while reading).</summary>
    public static IApplicationBuilder UseApiBodyLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                await AccessProblems.WriteAsync(http.RequestServices.GetRequiredService<IProblemDetailsService>(), http,
                    StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBodyBytes / 1024} KiB.");
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        }
        await next(http);
    });
}

/// <summary>
/// Turns a request the API could not read (malformed JSON, a wrong type, an unknown field, a missing or oversized body)
/// into a 4xx problem whose <c>errors</c> name the field, instead of a 500 or an empty 400.
/// </summary>
public sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        // A body that could not be read names its JSON field; anything else (a query value that is not a number, a body
        // of the wrong media type) is about the request as a whole.
        var json = bad.InnerException as JsonException;
        var field = json is null ? "request" : FieldOf(json);
        var message = json switch
        {
            not null when json.Message.Contains("could not be mapped", StringComparison.Ordinal) => $"'{field}' is not a known field.",
            { Path: not null and not "$" } => $"'{field}' has the wrong type or is malformed.",
            not null => "The body is not valid JSON.",
            null when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => $"The request body is larger than {WriteEndpoints.MaxBodyBytes / 1024} KiB.",
            null => bad.Message,
        };
        var status = bad.StatusCode;
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = status,
                Title = "The request could not be read.",
                Detail = message,
            },
        });
    }

    /// <summary>"$.name" → "name"; an unknown member's name comes from the message ("… 'foo' could not be mapped …").</summary>
    private static string FieldOf(JsonException json)
    {
        if (json.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = json.Message.IndexOf('\'', StringComparison.Ordinal);
            var end = start < 0 ? -1 : json.Message.IndexOf('\'', start + 1);
            if (end > start) return json.Message[(start + 1)..end];
        }
        return json.Path is null or "$" ? "body" : json.Path.TrimStart('$', '.');
    }
}

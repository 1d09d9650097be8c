using System.Text.Json;
using Hangfire;
using Leaderboard.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Leaderboard.Jobs;

/// <summary>
/// The health endpoints of every host (web app and worker node): <c>/health/live</c> (the process answers),
/// <c>/health/ready</c> (the database, Hangfire's job storage and this host's worker are usable; JSON naming what is
/// not), and on a host that runs a worker <c>/health/node</c> (its node row and GPUs).
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static void AddPlatformHealthChecks(this IServiceCollection services)
    {
        var timeout = TimeSpan.FromSeconds(5);
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: timeout)
            .AddCheck<JobStorageHealthCheck>("jobStorage", tags: [ReadyTag], timeout: timeout)
            .AddCheck<WorkerHealthCheck>("worker", tags: [ReadyTag]);
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteReportAsync });
        if (app.ServiceProvider.GetService<NodeHealth>() is null) return;
        app.MapGet("/health/node", async (NodeHealth health, CancellationToken cancellationToken) =>
        {
            var report = await health.CheckAsync(cancellationToken);
            return Results.Json(report, JsonOptions, statusCode: report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary><c>{ status, checks: { database: { status, description, error } … } }</c>: which dependency is down, in words.</summary>
    private static Task WriteReportAsync(HttpContext http, HealthReport report)
    {
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                error = e.Value.Exception?.Message,
            }),
        };
        return http.Response.WriteAsJsonAsync(body, JsonOptions);
    }
}

public sealed class DatabaseHealthCheck(IDbContextFactory<LeaderboardDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database cannot be reached.");
    }
}

/// <summary>Hangfire's storage answers: reading its server list fails when its schema or database cannot be read.</summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.Run(() =>
        {
            var servers = storage.GetMonitoringApi().Servers();
            return HealthCheckResult.Healthy($"{servers.Count} job server(s) registered.");
        }, cancellationToken);
}

public sealed class WorkerHealthCheck(WorkerReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.Failure is { } failure ? HealthCheckResult.Unhealthy(failure)
            : readiness.IsReady ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Preparing the worker's datasets."));
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Leaderboard.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// Quartz on the platform's PostgreSQL, clustered: every worker node is a scheduler instance serving its hardware
    /// classes, at most <see cref="WorkerOptions.Concurrency"/> runs at once. A process with the worker disabled gets a
    /// scheduler that is never started: a pure client that can queue and cancel runs.
    /// </summary>
    public static IServiceCollection AddLeaderboardJobs(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        var section = configuration.GetSection(WorkerOptions.Section);
        services.AddOptions<WorkerOptions>().Bind(section);
        var worker = section.Get<WorkerOptions>() ?? new WorkerOptions();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RunStore>();
        services.AddSingleton<RunQueue>();
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton(_ =>
        {
            var readiness = new WorkerReadiness();
            // Only a worker serving the CPU class prepares a dataset (the synthetic one) before it is ready.
            if (!worker.Enabled || !worker.ServedGroups.Contains("cpu")) readiness.MarkReady();
            return readiness;
        });
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = worker.ClusterName;
                s.GenerateInstanceId = true;
                // The default 30 s idle wait would leave a run queued by another process waiting up to ~20 s.
                s.IdleWaitTime = TimeSpan.FromSeconds(1);
            });
            q.ServeExecutionGroups([.. worker.ServedGroups]);
            q.UseDefaultThreadPool(Math.Max(1, worker.Concurrency));
            foreach (var group in worker.ServedGroups) q.UseExecutionLimits(l => l.ForGroup(group, worker.Concurrency));
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.ProvisionSchema();
                store.UseSystemTextJsonSerializer();
                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(worker.CheckinSeconds);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(worker.CheckinMisfireSeconds);
                });
            });
        });
        if (worker.Enabled)
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
            if (worker.ServedGroups.Contains("cpu")) services.AddHostedService<DatasetProvisioner>();
        }
        services.AddHealthChecks().AddCheck<WorkerHealthCheck>("worker", tags: ["ready"]);
        return services;
    }
}

public sealed class WorkerHealthCheck(WorkerReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.Failure is { } failure ? HealthCheckResult.Unhealthy(failure)
            : readiness.IsReady ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Preparing the worker's datasets."));
}

using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Leaderboard.Jobs;

public static class JobsRegistration
{
    public const string HangfireSchema = "hangfire";

    /// <summary>
    /// Hangfire on the platform's PostgreSQL (schema "hangfire"). Every process can queue and cancel runs; a process
    /// with the worker enabled is also a node: it discovers its hardware, serves that hardware class's queue only, at
    /// most one run per GPU, and heartbeats its node row.
    /// </summary>
    public static IServiceCollection AddLeaderboardJobs(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        var section = configuration.GetSection(WorkerOptions.Section);
        services.AddOptions<WorkerOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var worker = section.Get<WorkerOptions>() ?? new WorkerOptions();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseRetry>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<RunQueue>();
        services.AddSingleton<DatasetCatalog>();
        services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), StorageOptions(worker)));

        if (worker.Enabled)
        {
            services.AddTransient<TrainRunJob>();
            services.AddSingleton(sp => new NodeState(worker.NodeName,
                NodeHardware.Discover(worker, sp.GetRequiredService<ILoggerFactory>().CreateLogger<NodeState>())));
            services.AddHangfireServer((sp, server) =>
            {
                var hardware = sp.GetRequiredService<NodeState>().Hardware;
                server.ServerName = worker.NodeName;
                server.Queues = [hardware.HardwareClass];
                server.WorkerCount = hardware.Slots;
                // A deleted (cancelled) job's token fires within this.
                server.CancellationCheckInterval = TimeSpan.FromSeconds(1);
                // A stopping worker waits for its runs to checkpoint and go back to the queue.
                server.ShutdownTimeout = StopTimeout(worker);
            });
            // The host waits as long (its default, 30 s, is too short for a large model's checkpoint).
            services.Configure<HostOptions>(o => o.ShutdownTimeout = StopTimeout(worker) + TimeSpan.FromSeconds(10));
            services.AddHostedService<NodeHeartbeat>();
            services.AddHostedService<NodeCalibration>();
            services.AddSingleton<NodeHealth>();
            services.AddHostedService<RunReconciler>();
            services.AddHostedService<DatasetProvisioner>();
        }
        services.AddSingleton(sp =>
        {
            var readiness = new WorkerReadiness();
            // Only a CPU worker prepares a dataset (the synthetic one) before it is ready.
            if (!worker.Enabled || sp.GetRequiredService<NodeState>().Hardware.HardwareClass != NodeHardware.Cpu) readiness.MarkReady();
            return readiness;
        });
        services.AddPlatformHealthChecks();
        return services;
    }

    /// <summary>How long a stopping worker waits for its runs: the trainers' checkpoint grace, then the hand-back to the queue.</summary>
    private static TimeSpan StopTimeout(WorkerOptions worker) => TimeSpan.FromSeconds(worker.StopGraceSeconds + 20);

    /// <summary>The settings 24-hour jobs need (shared/PACKAGES.md § Hangfire): Hangfire's defaults re-deliver any job running past 30 min.</summary>
    private static PostgreSqlStorageOptions StorageOptions(WorkerOptions worker) => new()
    {
        SchemaName = HangfireSchema,
        PrepareSchemaIfNecessary = true,
        // A live worker keeps its job invisible to others however long it runs; a dead one's job reappears after the timeout.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromSeconds(worker.InvisibilityTimeoutSeconds),
        // LISTEN/NOTIFY: an idle worker picks a new job up at once instead of at its next poll (the enqueuing process notifies).
        EnableLongPolling = true,
        // Without a notification (a dead worker's job becoming visible again) workers look every eighth of the timeout, at most every 15 s.
        QueuePollInterval = TimeSpan.FromSeconds(Math.Clamp(worker.InvisibilityTimeoutSeconds / 8, 1, 15)),
    };
}

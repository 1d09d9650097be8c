using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.TestUtilities;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Leaderboard.Web.Tests.Infrastructure;

/// <summary>
/// The whole platform in the test process: the real web app on its own fresh PostgreSQL database, with the
/// in-process worker (optional) training on a small generated dataset through the real trainer process.
/// </summary>
public sealed class PlatformFactory : WebApplicationFactory<Program>
{
    public const string TestTrackSlug = "synthetic-test";

    private readonly TestDatabase _database;
    private readonly bool _worker;
    private readonly string _dataRoot;

    private readonly IReadOnlyDictionary<string, string> _settings;

    private PlatformFactory(TestDatabase database, bool worker, IReadOnlyDictionary<string, string>? settings, bool outage)
    {
        _database = database;
        Outage = outage ? new Leaderboard.TestUtilities.DatabaseRelay(database.ConnectionString) : null;
        _worker = worker;
        _settings = settings ?? new Dictionary<string, string>();
        _dataRoot = Directory.CreateTempSubdirectory("lb-platform-").FullName;
    }

    public string ConnectionString => _database.ConnectionString;

    /// <summary>The relay the app reaches its database through, when started with outage: true (take it down, bring it back).</summary>
    public Leaderboard.TestUtilities.DatabaseRelay? Outage { get; }

    /// <summary>Every log line the app wrote (any category, any level).</summary>
    public LogCapture Logs { get; } = new();
    public string DataRoot => _dataRoot;

    /// <summary>
    /// Worker settings for tests: a CPU node whatever the machine (no nvidia-smi), a 10 s invisibility timeout so a
    /// killed worker's run is picked up again within seconds, a 1 s heartbeat, no calibration.
    /// </summary>
    public static IReadOnlyDictionary<string, string> TestWorkerSettings { get; } = new Dictionary<string, string>
    {
        ["NvidiaSmi"] = "/nonexistent/nvidia-smi",
        ["InvisibilityTimeoutSeconds"] = "10",
        ["HeartbeatSeconds"] = "1",
        // No reference workload at start: it would compete with the tests' runs for the cores (calibration has its own tests).
        ["CalibrationHours"] = "0",
    };

    /// <param name="worker">Host the in-process worker (trains runs); off for API-only tests.</param>
    /// <param name="testTrackBudgetSeconds">Budget of the extra test track <see cref="TestTrackSlug"/>.</param>
    /// <param name="testTrackBudgetMode">What that budget counts: wall | cpu-time | calibrated.</param>
    /// <param name="settings">Extra configuration (e.g. Worker:TrainerPath).</param>
    /// <param name="outage">Reach the database through a relay the test can take down (<see cref="Outage"/>).</param>
    /// <param name="cluster">A test's own PostgreSQL cluster (to stop and start it); default the shared test cluster.</param>
    public static async Task<PlatformFactory> StartAsync(bool worker = false, int testTrackBudgetSeconds = 20, bool kestrel = false,
        IReadOnlyDictionary<string, string>? settings = null, bool outage = false, PostgresCluster? cluster = null, string testTrackBudgetMode = "wall")
    {
        var database = await TestDatabase.CreateAsync("lbweb", cluster?.AdminConnectionString);
        var factory = new PlatformFactory(database, worker, settings, outage);
        try
        {
            if (kestrel) factory.UseKestrel(0);
            factory.StartServer();
            await factory.SeedTestTrackAsync(testTrackBudgetSeconds, testTrackBudgetMode);
            return factory;
        }
        catch
        {
            // A host that does not start (a bad setting under test) still drops its database.
            await factory.DisposeAsync();
            throw;
        }
    }

    /// <summary>The address of the real Kestrel server (when started with kestrel: true).</summary>
    public Uri ServerAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Leaderboard", Outage?.ConnectionString ?? _database.ConnectionString);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.UseSetting("Worker:Enabled", _worker ? "true" : "false");
        builder.UseSetting("Worker:NodeName", "in-process");
        foreach (var (key, value) in TestWorkerSettings) builder.UseSetting($"Worker:{key}", value);
        builder.UseSetting("Worker:DataRoot", _dataRoot);
        builder.UseSetting("Worker:GraceSeconds", "5");
        if (_worker)
        {
            builder.UseSetting("Worker:Datasets:synthetic", SharedSyntheticDataset.Path);
            builder.UseSetting("Worker:TrainerPath", SharedSyntheticDataset.TrainerPath);
        }
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    private async Task SeedTestTrackAsync(int budgetSeconds, string budgetMode)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        if (await db.Tracks.AnyAsync(t => t.Slug == TestTrackSlug)) return;
        db.Tracks.Add(new Track
        {
            Slug = TestTrackSlug,
            Name = "Synthetic test track",
            Dataset = "synthetic",
            NumClasses = SharedSyntheticDataset.Classes,
            TrainImages = SharedSyntheticDataset.Classes * SharedSyntheticDataset.TrainPerClass,
            BudgetSeconds = budgetSeconds,
            BudgetMode = budgetMode,
            Hardware = "cpu",
            ReferenceTflops = 0.2,
            MaxImageSize = 64,
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Outage?.Dispose();
        await _database.DisposeAsync();
        Directory.Delete(_dataRoot, recursive: true);
    }
}

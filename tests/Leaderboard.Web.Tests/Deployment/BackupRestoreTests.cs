using System.Diagnostics;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Jobs;
using Leaderboard.TestUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Leaderboard.Web.Tests.Deployment;

/// <summary>docker/backup.sh against the local cluster: a platform's database and checkpoints come back exactly, and a damaged backup is refused.</summary>
public sealed class BackupRestoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lb-backup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_backup_restores_the_database_and_the_checkpoints_into_an_empty_deployment_and_over_a_changed_one()
    {
        await using var source = await TestDatabase.CreateAsync("lbbackup");
        await SeedDeploymentAsync(source.ConnectionString);
        var runs = Directory.CreateDirectory(Path.Combine(_dir, "runs")).FullName;
        var checkpoint = Path.Combine(runs, "1", "attempt-1", "checkpoint.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(checkpoint)!);
        var bytes = new byte[100_000];
        new Random(5).NextBytes(bytes);
        await File.WriteAllBytesAsync(checkpoint, bytes);
        var backup = Path.Combine(_dir, "backup");

        var original = await RowCountsAsync(source.ConnectionString);
        var (code, output) = await RunScriptAsync("backup", backup, source.ConnectionString, runs);
        Assert.True(code == 0, output);
        Assert.Equal(["SHA256SUMS", "checkpoints.tar.gz", "database.dump"], Directory.GetFiles(backup).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        await using var target = await TestDatabase.CreateAsync("lbrestore");
        var restoredRuns = Path.Combine(_dir, "restored-runs");
        (code, output) = await RunScriptAsync("restore", backup, target.ConnectionString, restoredRuns);
        Assert.True(code == 0, output);
        Assert.Contains(original, t => t.Key == "hangfire.job" && t.Value == 1);
        Assert.Contains(original, t => t.Key == "public.runs" && t.Value == 1);
        Assert.Equal(original, await RowCountsAsync(target.ConnectionString));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(restoredRuns, "1", "attempt-1", "checkpoint.safetensors")));

        // Over a deployment that changed since: the backup's rows and files, nothing else.
        await Sql.ExecuteAsync(target.ConnectionString, "UPDATE submissions SET name = 'renamed'; DELETE FROM hangfire.job;");
        await File.WriteAllTextAsync(Path.Combine(restoredRuns, "stray.txt"), "written after the backup");
        (code, output) = await RunScriptAsync("restore", backup, target.ConnectionString, restoredRuns);
        Assert.True(code == 0, output);
        Assert.Equal(original, await RowCountsAsync(target.ConnectionString));
        Assert.Equal("backed up", await Sql.ScalarAsync(target.ConnectionString, "SELECT name FROM submissions"));
        Assert.False(File.Exists(Path.Combine(restoredRuns, "stray.txt")));
    }

    [Fact]
    public async Task A_damaged_backup_is_refused_and_changes_nothing()
    {
        await using var source = await TestDatabase.CreateAsync("lbbackup");
        await Sql.ExecuteAsync(source.ConnectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (1), (2);");
        var runs = Directory.CreateDirectory(Path.Combine(_dir, "runs")).FullName;
        var backup = Path.Combine(_dir, "backup");
        Assert.Equal(0, (await RunScriptAsync("backup", backup, source.ConnectionString, runs)).Code);
        var dump = Path.Combine(backup, "database.dump");
        var damaged = await File.ReadAllBytesAsync(dump);
        damaged[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(dump, damaged);
        await Sql.ExecuteAsync(source.ConnectionString, "INSERT INTO kept VALUES (3);");

        var (code, output) = await RunScriptAsync("restore", backup, source.ConnectionString, runs);

        Assert.NotEqual(0, code);
        Assert.Contains("checksums do not match", output);
        Assert.Equal(3L, await Sql.ScalarAsync(source.ConnectionString, "SELECT count(*) FROM kept"));
    }

    /// <summary>A deployment at rest: the platform's schema and tracks, a queued run and its Hangfire job, written by the platform's own code.</summary>
    private static async Task SeedDeploymentAsync(string connectionString)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddDbContextFactory<LeaderboardDbContext>(o => o.UseLeaderboardDatabase(connectionString));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Worker:Enabled"] = "false" }).Build();
        services.AddLeaderboardJobs(configuration, connectionString);
        await using var provider = services.BuildServiceProvider();
        await using var db = await provider.GetRequiredService<IDbContextFactory<LeaderboardDbContext>>().CreateDbContextAsync();
        await db.MigrateAndSeedAsync(TimeProvider.System);
        var track = await db.Tracks.FirstAsync(t => t.Slug == TrackSeeder.SyntheticTrackSlug);
        var run = new Run
        {
            Status = RunStatus.Queued,
            QueuedAt = DateTimeOffset.UtcNow,
            Submission = new Submission { TrackId = track.Id, Name = "backed up", RecipeText = "{}", RecipeCanonical = "{}", RecipeHash = "hash", CreatedAt = DateTimeOffset.UtcNow },
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        provider.GetRequiredService<RunQueue>().Enqueue(run.Id, track.Hardware);
    }

    private static async Task<(int Code, string Output)> RunScriptAsync(string verb, string backupDir, string connectionString, string runsDir)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString);
        var startInfo = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(RepositoryPaths.Root, "docker", "backup.sh"), verb, backupDir }) startInfo.ArgumentList.Add(argument);
        startInfo.Environment["PGHOST"] = database.Host;
        startInfo.Environment["PGPORT"] = database.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        startInfo.Environment["PGUSER"] = database.Username;
        startInfo.Environment["PGDATABASE"] = database.Database;
        startInfo.Environment["LB_RUNS_DIR"] = runsDir;
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Rows in every table of the platform's schema and Hangfire's.</summary>
    private static async Task<SortedDictionary<string, long>> RowCountsAsync(string connectionString)
    {
        var tables = new List<string>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var list = new NpgsqlCommand(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema IN ('public', 'hangfire') AND table_type = 'BASE TABLE'", connection);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        return await Sql.RowCountsAsync(connectionString, tables);
    }
}

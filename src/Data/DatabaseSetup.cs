using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data;

public static class DatabaseSetup
{
    public static DbContextOptionsBuilder UseLeaderboardDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(LeaderboardDbContext).Assembly.GetName().Name));

    /// <summary>Applies pending migrations (EF's migration lock makes concurrent starts safe) and seeds the default tracks and their reference results.</summary>
    public static async Task MigrateAndSeedAsync(this LeaderboardDbContext db, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        await db.Database.MigrateAsync(cancellationToken);
        await TrackSeeder.SeedAsync(db, TrackSeeder.DefaultTracks(), clock, cancellationToken);
        await TrackSeeder.SeedReportedResultsAsync(db, TrackSeeder.DefaultReportedResults(), cancellationToken);
    }
}

using Leaderboard.Data;
using Leaderboard.TestUtilities;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Leaderboard.Data.Tests;

/// <summary>
/// Migrations are written by hand (no EF Design package), so this compares the schema they create with the one EF
/// derives from the model: a column, type, nullability, key or index that differs fails here.
/// </summary>
public sealed class SchemaDriftTests
{
    [Fact]
    public async Task Migrations_create_the_schema_the_model_describes()
    {
        await using var migrated = await TestDatabase.CreateAsync("lbmig");
        await using var created = await TestDatabase.CreateAsync("lbnew");
        await using (var db = Contexts.Open(migrated.ConnectionString)) await db.Database.MigrateAsync();
        await using (var db = Contexts.Open(created.ConnectionString)) await db.Database.EnsureCreatedAsync();

        Assert.Equal(await DescribeAsync(created.ConnectionString), await DescribeAsync(migrated.ConnectionString));
    }

    [Fact]
    public async Task Migrating_twice_and_seeding_twice_is_harmless()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var db = Contexts.Open(database.ConnectionString)) await db.MigrateAndSeedAsync(TimeProvider.System);
        await using (var db = Contexts.Open(database.ConnectionString))
        {
            await db.MigrateAndSeedAsync(TimeProvider.System);
            var slugs = await db.Tracks.Select(t => t.Slug).OrderBy(s => s).ToListAsync();
            Assert.Equal(["imagenet1k-1gpu-1h", "imagenet1k-1gpu-24h", "synthetic-cpu-2min"], slugs);
        }
    }

    private static async Task<List<string>> DescribeAsync(string connectionString)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                   || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END || coalesce(' identity ' || identity_generation, '')
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '"__EFMigrationsHistory"'
            ORDER BY 1
            """;
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        Assert.NotEmpty(rows);
        return rows;
    }
}

internal static class Contexts
{
    public static LeaderboardDbContext Open(string connectionString) =>
        new((DbContextOptions<LeaderboardDbContext>)new DbContextOptionsBuilder<LeaderboardDbContext>().UseLeaderboardDatabase(connectionString).Options);
}

using Npgsql;

namespace Leaderboard.TestUtilities;

/// <summary>
/// A fresh, empty PostgreSQL database on the private test cluster that <c>./lb test</c> starts (LB_TEST_DATABASE
/// points at its maintenance database). Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    public string Name { get; }
    public string ConnectionString { get; }

    private TestDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("LB_TEST_DATABASE")
        ?? throw new InvalidOperationException(
            "LB_TEST_DATABASE is not set: run the tests with ./lb test, which starts a private PostgreSQL cluster and sets it.");

    /// <param name="adminConnectionString">The cluster's maintenance database; default the shared test cluster (LB_TEST_DATABASE).</param>
    public static async Task<TestDatabase> CreateAsync(string prefix = "lbtest", string? adminConnectionString = null)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
        var database = new TestDatabase(adminConnectionString ?? AdminConnectionString, name);
        await database.ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
        return database;
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }
}

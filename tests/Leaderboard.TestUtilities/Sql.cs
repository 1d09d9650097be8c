using Npgsql;

namespace Leaderboard.TestUtilities;

/// <summary>One-statement helpers for tests that set up or inspect a database below the platform's own code.</summary>
public static class Sql
{
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Rows per table; <paramref name="tables"/> are quoted as given ("schema.table" or "table").</summary>
    public static async Task<SortedDictionary<string, long>> RowCountsAsync(string connectionString, IEnumerable<string> tables)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var quoted = string.Join('.', table.Split('.').Select(part => $"\"{part}\""));
            counts[table] = (long)(await ScalarAsync(connectionString, $"SELECT count(*) FROM {quoted}"))!;
        }
        return counts;
    }
}

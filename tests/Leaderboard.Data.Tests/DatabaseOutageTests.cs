using System.Net.Sockets;
using Npgsql;

namespace Leaderboard.Data.Tests;

/// <summary>What counts as the database being away (wait and retry, answer 503) rather than a broken query (a bug).</summary>
public sealed class DatabaseOutageTests
{
    [Theory]
    [InlineData("57P01")] // admin_shutdown: the server is being restarted
    [InlineData("57P03")] // cannot_connect_now: starting up
    [InlineData("08006")] // connection_failure
    [InlineData("53300")] // too_many_connections
    public void A_server_going_away_or_not_ready_is_an_outage_also_when_EF_wraps_it(string sqlState)
    {
        var postgres = new PostgresException("terminating connection", "FATAL", "FATAL", sqlState);

        Assert.True(DatabaseOutage.IsOutage(postgres));
        Assert.True(DatabaseOutage.IsOutage(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", postgres)));
    }

    [Fact]
    public void A_refused_or_dropped_connection_is_an_outage()
    {
        Assert.True(DatabaseOutage.IsOutage(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(DatabaseOutage.IsOutage(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
    }

    [Theory]
    [InlineData("23505")] // unique_violation
    [InlineData("42P01")] // undefined_table
    public void A_query_the_database_rejects_is_not_an_outage(string sqlState)
    {
        Assert.False(DatabaseOutage.IsOutage(new PostgresException("rejected", "ERROR", "ERROR", sqlState)));
        Assert.False(DatabaseOutage.IsOutage(new InvalidOperationException("a bug")));
    }
}

using System.Net.Sockets;
using Npgsql;

namespace Leaderboard.Data;

/// <summary>Tells a database that is unreachable or restarting (worth waiting for) from a query that is wrong (a bug).</summary>
public static class DatabaseOutage
{
    /// <summary>
    /// True when the exception, or one it wraps, says PostgreSQL could not be reached or went away: connection refused
    /// or reset, a timeout, the server shutting down or starting up (SQLSTATE classes 08 and 57P), too many connections.
    /// </summary>
    public static bool IsOutage(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                        || postgres.SqlState == PostgresErrorCodes.TooManyConnections;
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }
}

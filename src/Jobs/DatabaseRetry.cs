using Leaderboard.Data;
using Microsoft.Extensions.Logging;

namespace Leaderboard.Jobs;

/// <summary>Waits out a database outage: retries an operation with exponential backoff (0.5 s doubling to 10 s) while PostgreSQL is unreachable.</summary>
public sealed class DatabaseRetry(TimeProvider clock, ILogger<DatabaseRetry> logger)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="operation"/> until it gets through; any error other than an outage, or <paramref name="cancellationToken"/>, ends the wait.</summary>
    public async Task<T> RunAsync<T>(string what, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        var delay = FirstDelay;
        DateTimeOffset? unreachableSince = null;
        while (true)
        {
            try
            {
                var result = await operation();
                if (unreachableSince is { } since)
                    logger.LogWarning("The database is reachable again after {Seconds:F0} s: {What} went through", (clock.GetUtcNow() - since).TotalSeconds, what);
                return result;
            }
            catch (Exception exception) when (DatabaseOutage.IsOutage(exception) && !cancellationToken.IsCancellationRequested)
            {
                if (unreachableSince is null)
                {
                    unreachableSince = clock.GetUtcNow();
                    logger.LogWarning("The database is unreachable ({Error}): {What} is retried until it returns", exception.Message, what);
                }
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, delay.Ticks * 2));
            }
        }
    }
}

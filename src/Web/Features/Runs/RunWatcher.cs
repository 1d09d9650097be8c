using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Features.Leaderboards;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Features.Runs;

/// <summary>A run with what its page shows: submission, track, result, the metric rows and the log tail seen so far.</summary>
public sealed record RunView(Run Run, IReadOnlyList<RunMetric> Metrics, IReadOnlyList<RunLogLine> LogTail)
{
    public long LastMetricId => Metrics.Count == 0 ? 0 : Metrics[^1].Id;
    public long LastLogId => LogTail.Count == 0 ? 0 : LogTail[^1].Id;
}

/// <summary>What changed on a watched run: its row, and the metric rows and log lines written since the last update.</summary>
public sealed record RunUpdate(Run Run, IReadOnlyList<RunMetric> Metrics, IReadOnlyList<RunLogLine> LogLines);

/// <summary>
/// Live run state for the pages. Scoped: one per circuit in interactive mode (one per request while prerendering).
/// A page loads a snapshot with <see cref="LoadRunAsync"/>, then subscribes; the watcher polls the database every
/// <see cref="Interval"/> for the run row and the metric rows newer than the last one seen, and calls back only when
/// something changed. Each subscription is an <see cref="IDisposable"/> the component disposes; whatever is left is
/// stopped when the scope (the circuit) ends.
/// </summary>
public sealed class RunWatcher(IDbContextFactory<LeaderboardDbContext> dbFactory, TrackDirectory tracks, Queue.QueueView queue, ILogger<RunWatcher> logger) : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int MaxMetricsPerPoll = 5000;
    /// <summary>Log lines a run page keeps (the whole log is at /api/v1/runs/{id}/logs/full).</summary>
    public const int LogTailLines = 40;

    private readonly List<Subscription> _subscriptions = [];

    /// <summary>Subscriptions not yet disposed (or ended by themselves).</summary>
    internal int ActiveSubscriptions
    {
        get { lock (_subscriptions) return _subscriptions.Count; }
    }

    public async Task<RunView?> LoadRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await LoadRunRowAsync(db, runId, cancellationToken);
        if (run is null) return null;
        var metrics = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var log = await LogLinesAfterAsync(db, runId, 0, cancellationToken);
        return new RunView(run, metrics, log);
    }

    /// <summary>The latest run of a submission.</summary>
    public async Task<long?> FindLatestRunAsync(long submissionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Where(r => r.SubmissionId == submissionId).OrderByDescending(r => r.Id).Select(r => (long?)r.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> with the run row, the metric rows after <paramref name="lastMetricId"/> and the log
    /// lines after <paramref name="lastLogId"/> whenever any changed; stops by itself once the run has finished and that was reported.
    /// </summary>
    public IDisposable WatchRun(long runId, long lastMetricId, long lastLogId, Func<RunUpdate, Task> onChange)
    {
        var lastSeen = lastMetricId;
        var lastLog = lastLogId;
        string? lastState = null;
        return Start($"run {runId}", async cancellationToken =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var run = await LoadRunRowAsync(db, runId, cancellationToken);
            if (run is null) return false;
            var metrics = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Id > lastSeen).OrderBy(m => m.Id)
                .Take(MaxMetricsPerPoll).ToListAsync(cancellationToken);
            var log = await LogLinesAfterAsync(db, runId, lastLog, cancellationToken);
            var state = $"{run.Status}|{run.Elapsed}|{run.Step}|{run.FailureReason}|{run.Result is not null}|{run.CancelRequested}";
            if (metrics.Count > 0 || log.Count > 0 || state != lastState)
            {
                if (metrics.Count > 0) lastSeen = metrics[^1].Id;
                if (log.Count > 0) lastLog = log[^1].Id;
                lastState = state;
                await onChange(new RunUpdate(run, metrics, log));
            }
            return !run.IsFinished || metrics.Count == MaxMetricsPerPoll;
        });
    }

    /// <summary>Calls <paramref name="onChange"/> with a track's recent runs whenever the list or a status changed.</summary>
    public IDisposable WatchRecentRuns(int trackId, Func<IReadOnlyList<RecentRun>, Task> onChange)
    {
        IReadOnlyList<RecentRun>? last = null;
        return Start($"track {trackId}", async cancellationToken =>
        {
            var runs = await tracks.GetRecentRunsAsync(trackId, cancellationToken);
            if (last is null || !runs.SequenceEqual(last))
            {
                last = runs;
                await onChange(runs);
            }
            return true;
        });
    }

    /// <summary>Calls <paramref name="onChange"/> with the queue and the fleet whenever either changed.</summary>
    public IDisposable WatchQueue(Func<Queue.QueueSnapshot, Task> onChange)
    {
        string? last = null;
        return Start("queue", async cancellationToken =>
        {
            var snapshot = await queue.LoadAsync(cancellationToken);
            var key = snapshot.ChangeKey;
            if (key != last)
            {
                last = key;
                await onChange(snapshot);
            }
            return true;
        });
    }

    /// <summary>The last <see cref="LogTailLines"/> lines after <paramref name="afterId"/>, oldest first.</summary>
    private static async Task<List<RunLogLine>> LogLinesAfterAsync(LeaderboardDbContext db, long runId, long afterId, CancellationToken cancellationToken)
    {
        var lines = await db.RunLogLines.AsNoTracking().Where(l => l.RunId == runId && l.Id > afterId).OrderByDescending(l => l.Id)
            .Take(LogTailLines).ToListAsync(cancellationToken);
        lines.Reverse();
        return lines;
    }

    private static Task<Run?> LoadRunRowAsync(LeaderboardDbContext db, long runId, CancellationToken cancellationToken) =>
        db.Runs.AsNoTracking().Include(r => r.Submission).ThenInclude(s => s.Track).Include(r => r.Result)
            .SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);

    /// <param name="poll">One poll; returns whether to keep watching.</param>
    private Subscription Start(string what, Func<CancellationToken, Task<bool>> poll)
    {
        var subscription = new Subscription(this);
        lock (_subscriptions) _subscriptions.Add(subscription);
        subscription.Loop = PollAsync(what, poll, subscription.Token);
        return subscription;
    }

    private async Task PollAsync(string what, Func<CancellationToken, Task<bool>> poll, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!await poll(cancellationToken)) return;
                }
                catch (ObjectDisposedException exception)
                {
                    // The app's services are gone (it is shutting down) while this circuit was still open: nothing left to watch.
                    logger.LogInformation(exception, "Stopped watching {What}: the application is stopping", what);
                    return;
                }
                catch (Exception exception) when (exception is DbUpdateException or Npgsql.NpgsqlException or TimeoutException or InvalidOperationException
                                                  && !cancellationToken.IsCancellationRequested)
                {
                    // A database hiccup: keep the page alive and try again at the next tick.
                    logger.LogWarning(exception, "Polling {What} failed; retrying", what);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_subscriptions) _subscriptions.Remove(subscription);
    }

    public async ValueTask DisposeAsync()
    {
        Subscription[] left;
        lock (_subscriptions) left = [.. _subscriptions];
        foreach (var subscription in left) subscription.Dispose();
        await Task.WhenAll(left.Select(s => s.Loop ?? Task.CompletedTask));
    }

    private sealed class Subscription(RunWatcher owner) : IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new();
        private int _disposed;

        public CancellationToken Token => _cancellation.Token;
        public Task? Loop { get; set; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            _cancellation.Cancel();
            _cancellation.Dispose();
            owner.Remove(this);
        }
    }
}

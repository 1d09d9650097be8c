using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Features.Leaderboards;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Features.Runs;

/// <summary>A run with what its page shows: submission, track, result, and the metric rows seen so far.</summary>
public sealed record RunView(Run Run, IReadOnlyList<RunMetric> Metrics)
{
    public long LastMetricId => Metrics.Count == 0 ? 0 : Metrics[^1].Id;
}

/// <summary>
/// What the run page shows while a run goes on, folded from its metric rows: the latest values of each series and the
/// chart's points (thinned to at most <see cref="MaxPoints"/> per series, so a 24 h run stays light to re-render).
/// </summary>
public sealed class RunProgressState
{
    public const int MaxPoints = 800;

    private readonly List<double[]> _loss = [];
    private readonly List<double[]> _top1 = [];

    public RunProgressState(Run run, IEnumerable<RunMetric> metrics)
    {
        Run = run;
        Apply(run, metrics);
    }

    public Run Run { get; private set; }
    public double? Elapsed { get; private set; }
    public long? Step { get; private set; }
    public double? Epoch { get; private set; }
    public int? ImageSize { get; private set; }
    public double? Loss { get; private set; }
    public double? Lr { get; private set; }
    public double? ImagesPerSecond { get; private set; }
    public double? DataWait { get; private set; }
    public double? TrainTop1 { get; private set; }
    /// <summary>The trainer's start message (device and model).</summary>
    public string? StartMessage { get; private set; }
    public bool HasMetrics { get; private set; }
    public bool HasChartData => _loss.Count > 0 || _top1.Count > 0;

    /// <summary>The chart's series as JSON: <c>{"loss":[[elapsed,loss],…],"top1":[[elapsed,top1],…]}</c>.</summary>
    public string ChartJson => System.Text.Json.JsonSerializer.Serialize(new { loss = _loss, top1 = _top1 });

    /// <summary>Fraction of the budget used, 0–1, while the run has started.</summary>
    public double? BudgetFraction => Elapsed is double e && Run.Submission.Track.BudgetSeconds > 0
        ? Math.Clamp(e / Run.Submission.Track.BudgetSeconds, 0, 1) : null;

    public void Apply(Run run, IEnumerable<RunMetric> metrics)
    {
        Run = run;
        foreach (var m in metrics)
        {
            HasMetrics = true;
            Elapsed = Math.Max(Elapsed ?? 0, m.Elapsed);
            Step = m.Step ?? Step;
            Epoch = m.Epoch ?? Epoch;
            ImageSize = m.ImageSize ?? ImageSize;
            Lr = m.Lr ?? Lr;
            ImagesPerSecond = m.ImagesPerSecond ?? ImagesPerSecond;
            DataWait = m.DataWait ?? DataWait;
            if (m.Event == "start" && m.Message is not null) StartMessage = m.Message;
            if (m.Loss is double loss && double.IsFinite(loss))
            {
                Loss = loss;
                Add(_loss, m.Elapsed, loss);
            }
            if (m.TrainTop1 is double top1)
            {
                TrainTop1 = top1;
                Add(_top1, m.Elapsed, top1);
            }
        }
        // The run row carries the latest progress too (it may be ahead of the metric rows read so far).
        Elapsed = Max(Elapsed, run.Elapsed);
        Step = Max(Step, run.Step);
        Epoch = Max(Epoch, run.Epoch);
        ImageSize ??= run.ImageSize;
        Loss ??= run.Loss;
        ImagesPerSecond ??= run.ImagesPerSecond;
    }

    private static void Add(List<double[]> series, double x, double y)
    {
        series.Add([Math.Round(x, 2), Math.Round(y, 4)]);
        if (series.Count <= MaxPoints) return;
        // Thin to every other point, keeping the last one.
        var last = series[^1];
        for (int i = series.Count - 1; i >= 0; i--)
            if (i % 2 == 1) series.RemoveAt(i);
        if (!ReferenceEquals(series[^1], last)) series.Add(last);
    }

    private static T? Max<T>(T? a, T? b) where T : struct, IComparable<T> =>
        a is T x && b is T y ? (x.CompareTo(y) >= 0 ? x : y) : a ?? b;
}

/// <summary>
/// Live run state for the pages. Scoped: one per circuit in interactive mode (one per request while prerendering).
/// A page loads a snapshot with <see cref="LoadRunAsync"/>, then subscribes; the watcher polls the database every
/// <see cref="Interval"/> for the run row and the metric rows newer than the last one seen, and calls back only when
/// something changed. Each subscription is an <see cref="IDisposable"/> the component disposes; whatever is left is
/// stopped when the scope (the circuit) ends.
/// </summary>
public sealed class RunWatcher(IDbContextFactory<LeaderboardDbContext> dbFactory, TrackDirectory tracks, ILogger<RunWatcher> logger) : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int MaxMetricsPerPoll = 5000;

    private readonly List<Subscription> _subscriptions = [];

    public async Task<RunView?> LoadRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await LoadRunRowAsync(db, runId, cancellationToken);
        if (run is null) return null;
        var metrics = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        return new RunView(run, metrics);
    }

    /// <summary>The latest run of a submission.</summary>
    public async Task<long?> FindLatestRunAsync(long submissionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Where(r => r.SubmissionId == submissionId).OrderByDescending(r => r.Id).Select(r => (long?)r.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> with the run row and the metric rows after <paramref name="lastMetricId"/>
    /// whenever either changed; stops by itself once the run has finished and that was reported.
    /// </summary>
    public IDisposable WatchRun(long runId, long lastMetricId, Func<Run, IReadOnlyList<RunMetric>, Task> onChange)
    {
        var lastSeen = lastMetricId;
        string? lastState = null;
        return Start($"run {runId}", async cancellationToken =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var run = await LoadRunRowAsync(db, runId, cancellationToken);
            if (run is null) return false;
            var metrics = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Id > lastSeen).OrderBy(m => m.Id)
                .Take(MaxMetricsPerPoll).ToListAsync(cancellationToken);
            var state = $"{run.Status}|{run.Elapsed}|{run.Step}|{run.FailureReason}|{run.Result is not null}|{run.CancelRequested}";
            if (metrics.Count > 0 || state != lastState)
            {
                if (metrics.Count > 0) lastSeen = metrics[^1].Id;
                lastState = state;
                await onChange(run, metrics);
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

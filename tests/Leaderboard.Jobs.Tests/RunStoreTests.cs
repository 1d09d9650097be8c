using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.TestUtilities;
using Leaderboard.Training.Progress;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Jobs.Tests;

/// <summary>
/// Fencing on real PostgreSQL: once a successor has claimed a run (a partitioned worker's job handed to another node),
/// the old attempt's writes — progress, logs, state, result — change nothing, and the result is recorded once.
/// </summary>
public sealed class RunStoreTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private DbFactory _dbFactory = null!;
    private RunStore _store = null!;
    private long _runId;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("lbjobs");
        _dbFactory = new DbFactory(_database.ConnectionString);
        await using var db = _dbFactory.CreateDbContext();
        await db.MigrateAndSeedAsync(TimeProvider.System);
        var track = await db.Tracks.FirstAsync();
        var run = new Run
        {
            Status = RunStatus.Queued,
            QueuedAt = DateTimeOffset.UtcNow,
            Submission = new Submission
            {
                TrackId = track.Id, Name = "fenced", RecipeText = "{}", RecipeCanonical = "{}", RecipeHash = "hash", CreatedAt = DateTimeOffset.UtcNow,
            },
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        _runId = run.Id;
        _store = new RunStore(_dbFactory, TimeProvider.System, new DatabaseRetry(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseRetry>.Instance));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_worker_whose_run_was_taken_over_writes_nothing_and_the_result_is_recorded_once()
    {
        Assert.True(await _store.TryClaimAsync(_runId, 0, r => { r.Status = RunStatus.Running; r.Worker = "partitioned"; }, default));
        Assert.True(await _store.TryClaimAsync(_runId, 1, r => r.Worker = "successor", default));
        // The partitioned node comes back with its stale view of the run.
        Assert.False(await _store.TryClaimAsync(_runId, 1, r => r.Worker = "partitioned", default));

        var flushed = await _store.FlushAsync(_runId, 1, [new ProgressEvent { Event = "step", Elapsed = 5, Step = 99, Loss = 9 }], [("stdout", "stale")], 100, default);
        var completedByOld = await _store.CompleteAsync(_runId, 1, NewResult(top1: 99), default);
        var failedByOld = await _store.FinishAsync(_runId, 1, RunStatus.Failed, "stale", FailureClass.Platform, default);
        var completedByNew = await _store.CompleteAsync(_runId, 2, NewResult(top1: 42), default);

        Assert.Equal((false, false, false, true), (flushed.StillOwned, completedByOld, failedByOld, completedByNew));
        await using var db = _dbFactory.CreateDbContext();
        var run = await db.Runs.Include(r => r.Result).SingleAsync(r => r.Id == _runId);
        Assert.Equal((RunStatus.Completed, "successor", 2, 42.0, (long?)null), (run.Status, run.Worker, run.Attempt, run.Result!.Top1, run.Step));
        Assert.Empty(await db.RunMetrics.Where(m => m.RunId == _runId).ToListAsync());
        Assert.Empty(await db.RunLogLines.Where(l => l.RunId == _runId).ToListAsync());
    }

    [Fact]
    public async Task A_run_log_keeps_only_its_newest_lines()
    {
        Assert.True(await _store.TryClaimAsync(_runId, 0, r => r.Status = RunStatus.Running, default));

        for (var batch = 0; batch < 3; batch++)
            await _store.FlushAsync(_runId, 1, [], [.. Enumerable.Range(batch * 4, 4).Select(i => ("stdout", $"line {i}"))], maxLogLines: 5, default);

        await using var db = _dbFactory.CreateDbContext();
        Assert.Equal(["line 7", "line 8", "line 9", "line 10", "line 11"],
            await db.RunLogLines.Where(l => l.RunId == _runId).OrderBy(l => l.Id).Select(l => l.Text).ToListAsync());
    }

    [Fact]
    public async Task A_hydravit_result_keeps_each_subnetworks_score()
    {
        Assert.True(await _store.TryClaimAsync(_runId, 0, r => r.Status = RunStatus.Running, default));
        var result = NewResult(top1: 60);
        result.Subnetworks =
        [
            new ResultSubnetwork { Heads = 1, Top1 = 40, Top5 = 70, Params = 100, Gflops = 0.01, ImagesPerSecond = 900 },
            new ResultSubnetwork { Heads = 2, Top1 = 60, Top5 = 85, Params = 400, Gflops = 0.04, ImagesPerSecond = 400 },
        ];

        Assert.True(await _store.CompleteAsync(_runId, 1, result, default));

        await using var db = _dbFactory.CreateDbContext();
        Assert.Equal([(1, 40.0, 100L), (2, 60.0, 400L)],
            (await db.ResultSubnetworks.Where(s => s.RunId == _runId).OrderBy(s => s.Heads).ToListAsync()).Select(s => (s.Heads, s.Top1, s.Params)));
    }

    private static Result NewResult(double top1) => new()
    {
        Top1 = top1, Top5 = top1, EvalImages = 1, Params = 1, Gflops = 1, EvalImageSize = 32, ImagesPerSecond = 1, Device = "cpu",
        RecipeHash = "hash", Seed = 1, CodeVersion = "test",
    };
}

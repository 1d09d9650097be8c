using Leaderboard.Data.Entities;
using Leaderboard.TestUtilities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data.Tests;

/// <summary>
/// Each test's own migrated and seeded database with the synthetic track, and submissions added to that track with the
/// seed runs a ranking is computed from (a completed run carries a result; its top-5 is top-1 + 20).
/// </summary>
public abstract class RankingDatabase : IAsyncLifetime
{
    private readonly DateTimeOffset _start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;
    private int _submitted;

    protected LeaderboardDbContext Db { get; private set; } = null!;
    protected Track Track { get; private set; } = null!;
    protected string ConnectionString => _database.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Db = Contexts.Open(_database.ConnectionString);
        await Db.MigrateAndSeedAsync(TimeProvider.System);
        Track = await Db.Tracks.SingleAsync(t => t.Slug == TrackSeeder.SyntheticTrackSlug);
    }

    public async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Adds (does not save) a submission, one minute after the previous one, with <paramref name="runs"/>.</summary>
    /// <param name="canonical">Its canonical recipe, which gives its family and components.</param>
    protected Submission AddSubmission(string name, IEnumerable<(long Seed, RunStatus Status, double Top1, string? CodeVersion)> runs,
        long parameters = 1000, string device = "cpu", string canonical = "{}")
    {
        var createdAt = _start.AddMinutes(++_submitted);
        var runList = runs.ToList();
        var submission = new Submission
        {
            TrackId = Track.Id,
            Name = name,
            RecipeText = canonical,
            RecipeCanonical = canonical,
            RecipeHash = name,
            CreatedAt = createdAt,
            Seeds = runList.Select(r => r.Seed).Distinct().Count(),
            Runs = runList.Select(r => new Run
            {
                Seed = r.Seed,
                Status = r.Status,
                QueuedAt = createdAt,
                Result = r.Status == RunStatus.Completed
                    ? new Result { Top1 = r.Top1, Top5 = r.Top1 + 20, Params = parameters, Gflops = 0.1, Device = device, RecipeHash = name,
                        Seed = r.Seed, CodeVersion = r.CodeVersion, CreatedAt = createdAt }
                    : null,
            }).ToList(),
        };
        Db.Submissions.Add(submission);
        return submission;
    }
}

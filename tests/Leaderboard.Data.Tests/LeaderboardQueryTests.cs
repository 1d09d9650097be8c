using Leaderboard.Data.Entities;
using Leaderboard.TestUtilities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data.Tests;

public sealed class LeaderboardQueryTests
{
    [Fact]
    public async Task Ranks_each_submission_by_its_best_completed_run()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = Contexts.Open(database.ConnectionString);
        await db.MigrateAndSeedAsync(TimeProvider.System);
        var track = await db.Tracks.SingleAsync(t => t.Slug == TrackSeeder.SyntheticTrackSlug);

        var weak = Submit(track, "weak", (RunStatus.Completed, 30.0));
        var strong = Submit(track, "strong", (RunStatus.Completed, 40.0), (RunStatus.Completed, 55.0));
        var failed = Submit(track, "failed", (RunStatus.Failed, 0.0));
        db.Submissions.AddRange(weak, strong, failed);
        await db.SaveChangesAsync();

        var entries = (await db.GetLeaderboardAsync(track.Id, new LeaderboardQuery())).Entries;

        Assert.Collection(entries,
            e => Assert.Equal((1, "strong", 55.0), (e.Rank, e.Name, e.Top1)),
            e => Assert.Equal((2, "weak", 30.0), (e.Rank, e.Name, e.Top1)));
    }

    private static Submission Submit(Track track, string name, params (RunStatus Status, double Top1)[] runs) => new()
    {
        TrackId = track.Id,
        Name = name,
        RecipeText = "{}",
        RecipeCanonical = "{}",
        RecipeHash = name,
        CreatedAt = DateTimeOffset.UtcNow,
        Runs = runs.Select(r => new Run
        {
            Status = r.Status,
            QueuedAt = DateTimeOffset.UtcNow,
            Result = r.Status == RunStatus.Completed
                ? new Result { Top1 = r.Top1, Top5 = r.Top1 + 20, Params = 1000, Gflops = 0.1, Device = "cpu", RecipeHash = name, CreatedAt = DateTimeOffset.UtcNow }
                : null,
        }).ToList(),
    };
}

using Leaderboard.Data.Entities;
using Leaderboard.TestUtilities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data.Tests;

/// <summary>The trigger on runs that fills the run-event outbox (webhooks read it), whoever writes the run.</summary>
public sealed class RunEventTriggerTests
{
    [Fact]
    public async Task Each_status_change_writes_one_event_and_progress_updates_write_none()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = Contexts.Open(database.ConnectionString);
        await db.MigrateAndSeedAsync(TimeProvider.System);
        var track = await db.Tracks.SingleAsync(t => t.Slug == TrackSeeder.SyntheticTrackSlug);
        var run = new Run
        {
            Submission = new Submission { TrackId = track.Id, Name = "n", RecipeText = "{}", RecipeCanonical = "{}", RecipeHash = "h", CreatedAt = DateTimeOffset.UtcNow },
            Status = RunStatus.Queued, QueuedAt = DateTimeOffset.UtcNow,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();

        run.Status = RunStatus.Running;
        await db.SaveChangesAsync();
        run.Step = 10;
        run.Loss = 1.5;
        await db.SaveChangesAsync();
        await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Running));
        await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Completed));

        var events = await db.RunEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.RunId, e.Status, e.PreviousStatus }).ToListAsync();
        Assert.Equal(
            [new { RunId = run.Id, Status = "Queued", PreviousStatus = (string?)null }, new { RunId = run.Id, Status = "Running", PreviousStatus = (string?)"Queued" },
             new { RunId = run.Id, Status = "Completed", PreviousStatus = (string?)"Running" }],
            events);
    }
}

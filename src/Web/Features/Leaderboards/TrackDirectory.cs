using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Features.Leaderboards;

/// <summary>A track as the home page lists it.</summary>
public sealed record TrackSummary(Track Track, int RankedEntries);

/// <summary>A run in a track's "Recent runs" list.</summary>
public sealed record RecentRun(long RunId, long SubmissionId, string Name, RunStatus Status, DateTimeOffset QueuedAt, double? Elapsed, int BudgetSeconds);

/// <summary>The read side of the site's track pages: tracks and a track's recent runs (the ranking comes from LeaderboardFeed).</summary>
public sealed class TrackDirectory(IDbContextFactory<LeaderboardDbContext> dbFactory)
{
    public const int RecentRunCount = 10;

    public async Task<IReadOnlyList<TrackSummary>> GetTracksAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Tracks.AsNoTracking()
            .OrderBy(t => t.Hardware == "gpu" ? 0 : 1).ThenByDescending(t => t.BudgetSeconds).ThenBy(t => t.Name)
            .Select(t => new
            {
                Track = t,
                Ranked = t.Submissions.Count(s => s.Runs.Any(r => r.Status == RunStatus.Completed && r.Result != null)),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new TrackSummary(r.Track, r.Ranked)).ToList();
    }

    public async Task<Track?> FindAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tracks.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, cancellationToken);
    }

    private static readonly RunStatus[] Unfinished = [RunStatus.Queued, RunStatus.Running, RunStatus.Evaluating];

    /// <summary>
    /// The track's latest runs, unfinished ones first. Two index-served reads (the unfinished runs by status, the newest
    /// by queue time) rather than one sort over every run of the track.
    /// </summary>
    public async Task<IReadOnlyList<RecentRun>> GetRecentRunsAsync(int trackId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = db.Runs.AsNoTracking().Where(r => r.Submission.TrackId == trackId);
        var unfinished = await Newest(runs.Where(r => Unfinished.Contains(r.Status))).ToListAsync(cancellationToken);
        var newest = await Newest(runs).ToListAsync(cancellationToken);
        return unfinished.Concat(newest.Where(r => !Unfinished.Contains(r.Status))).Take(RecentRunCount).ToList();

        static IQueryable<RecentRun> Newest(IQueryable<Run> runs) => runs
            .OrderByDescending(r => r.QueuedAt).ThenByDescending(r => r.Id)
            .Take(RecentRunCount)
            .Select(r => new RecentRun(r.Id, r.SubmissionId, r.Submission.Name, r.Status, r.QueuedAt, r.Elapsed, r.Submission.Track.BudgetSeconds));
    }
}

using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data;

public sealed record LeaderboardEntry(
    int Rank,
    long SubmissionId,
    long RunId,
    string Name,
    string? Owner,
    double Top1,
    double Top5,
    long Params,
    double Gflops,
    double ImagesPerSecond,
    string Device,
    string RecipeHash,
    DateTimeOffset SubmittedAt);

public static class LeaderboardQueries
{
    /// <summary>
    /// A track's ranking: each submission's best completed run by top-1 (ties: top-5, then earlier submission).
    /// </summary>
    public static async Task<IReadOnlyList<LeaderboardEntry>> GetLeaderboardAsync(this LeaderboardDbContext db, int trackId, CancellationToken cancellationToken = default)
    {
        var rows = await db.Results
            .Where(r => r.Run.Submission.TrackId == trackId && r.Run.Status == RunStatus.Completed)
            .Select(r => new
            {
                r.Run.SubmissionId,
                r.RunId,
                r.Run.Submission.Name,
                r.Run.Submission.Owner,
                r.Top1,
                r.Top5,
                r.Params,
                r.Gflops,
                r.ImagesPerSecond,
                r.Device,
                r.RecipeHash,
                r.Run.Submission.CreatedAt,
            })
            .ToListAsync(cancellationToken);

        return rows
            .GroupBy(r => r.SubmissionId)
            .Select(g => g.OrderByDescending(r => r.Top1).ThenByDescending(r => r.Top5).First())
            .OrderByDescending(r => r.Top1).ThenByDescending(r => r.Top5).ThenBy(r => r.CreatedAt)
            .Select((r, i) => new LeaderboardEntry(i + 1, r.SubmissionId, r.RunId, r.Name, r.Owner, r.Top1, r.Top5, r.Params, r.Gflops,
                r.ImagesPerSecond, r.Device, r.RecipeHash, r.CreatedAt))
            .ToList();
    }
}

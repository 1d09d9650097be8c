using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data;

/// <summary>One run of a submission as a seed: <paramref name="IsSample"/> when it is its seed's first completed run (the one the ranking averages).</summary>
public sealed record SeedRun(long RunId, long Seed, RunStatus Status, double? Top1, string? CodeVersion, bool IsSample);

/// <summary>
/// A submission's runs by seed, with the statistics and the verification its leaderboard row shows (the same rules as
/// <see cref="LeaderboardQueries.GetLeaderboardAsync"/>): the run page lists them.
/// </summary>
public sealed record SubmissionSeeds(IReadOnlyList<SeedRun> Runs, SeedSummary? Summary, RowVerification? Verification)
{
    public static async Task<SubmissionSeeds> LoadAsync(LeaderboardDbContext db, long submissionId, CancellationToken cancellationToken)
    {
        var runs = await db.Runs.AsNoTracking().Where(r => r.SubmissionId == submissionId).OrderBy(r => r.Id)
            .Select(r => new { r.Id, r.Seed, r.Status, Top1 = r.Result == null ? (double?)null : r.Result.Top1, r.Result!.CodeVersion })
            .ToListAsync(cancellationToken);
        var samples = runs.Where(r => r.Status == RunStatus.Completed && r.Top1 is not null).GroupBy(r => r.Seed).Select(g => g.First()).ToList();
        var sampleIds = samples.Select(r => r.Id).ToHashSet();
        var seedRuns = runs.Select(r => new SeedRun(r.Id, r.Seed, r.Status, r.Top1, r.CodeVersion, sampleIds.Contains(r.Id))).ToList();
        if (samples.Count == 0) return new(seedRuns, null, null);

        var top1 = samples.Select(r => r.Top1!.Value).ToList();
        var mean = top1.Average();
        double? stdDev = top1.Count < 2 ? null : Math.Sqrt(top1.Sum(x => (x - mean) * (x - mean)) / (top1.Count - 1));
        var summary = new SeedSummary(top1.Count, mean, stdDev);
        var rerun = seedRuns.LastOrDefault(r => r.Status == RunStatus.Completed && r.Top1 is not null && !r.IsSample);
        var verification = rerun is null ? null : RowVerification.Of(summary, rerun.RunId, rerun.Seed, rerun.Top1!.Value, rerun.CodeVersion,
            samples.Single(s => s.Seed == rerun.Seed).CodeVersion);
        return new(seedRuns, summary, verification);
    }
}

using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data;

public static class RunUpdates
{
    /// <summary>
    /// Read-modify-write of one run under optimistic concurrency (xmin): when another writer changed the run in
    /// between, the change is applied again to the fresh row. <paramref name="change"/> returns false to write nothing; false also when there is no such run.
    /// </summary>
    public static async Task<bool> UpdateRunAsync(this IDbContextFactory<LeaderboardDbContext> dbFactory, long runId, Func<LeaderboardDbContext, Run, bool> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
            if (run is null || !change(db, run)) return false;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // Someone else changed the run first: read it again and re-apply.
            }
        }
    }
}

using System.Security.Claims;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Jobs;
using Leaderboard.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Features.Runs;

public enum CancelOutcome { Cancelled, Requested, NotFound, Forbidden, AlreadyFinished }

/// <summary>
/// Cancels a run for its owner or an admin: a queued one is taken off the queue at once; a running one is interrupted
/// on its worker.
/// </summary>
public sealed class RunCancellation(IDbContextFactory<LeaderboardDbContext> dbFactory, RunQueue queue, IAuthorizationService authorization, TimeProvider clock)
{
    public async Task<CancelOutcome> CancelAsync(long runId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var submission = await db.Submissions.AsNoTracking().SingleOrDefaultAsync(s => s.Runs.Any(r => r.Id == runId), cancellationToken);
            if (submission is null) return CancelOutcome.NotFound;
            if (!(await authorization.AuthorizeAsync(user, submission, ManageSubmissionRequirement.Policy)).Succeeded) return CancelOutcome.Forbidden;
        }

        var outcome = CancelOutcome.NotFound;
        var found = await dbFactory.UpdateRunAsync(runId, (_, run) =>
        {
            if (run.IsFinished)
            {
                outcome = CancelOutcome.AlreadyFinished;
                return false;
            }
            run.CancelRequested = true;
            outcome = CancelOutcome.Requested;
            if (run.Status == RunStatus.Queued)
            {
                run.Status = RunStatus.Cancelled;
                run.FailureReason = "Cancelled before it started.";
                run.FinishedAt = clock.GetUtcNow();
                outcome = CancelOutcome.Cancelled;
            }
            return true;
        }, cancellationToken);
        if (!found) return outcome;
        if (outcome == CancelOutcome.Cancelled)
        {
            await queue.RemoveAsync(runId, cancellationToken);
            return CancelOutcome.Cancelled;
        }
        await queue.InterruptAsync(runId, cancellationToken);
        return CancelOutcome.Requested;
    }
}

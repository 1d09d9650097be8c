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
        string? jobId = null;
        var found = await dbFactory.UpdateRunAsync(runId, (_, run) =>
        {
            if (run.IsFinished)
            {
                outcome = CancelOutcome.AlreadyFinished;
                return false;
            }
            run.CancelRequested = true;
            jobId = run.JobId;
            outcome = CancelOutcome.Requested;
            if (run.Status == RunStatus.Queued)
            {
                run.Status = RunStatus.Cancelled;
                run.FailureReason = "Cancelled before it started.";
                run.FailureClass = null;
                run.FinishedAt = clock.GetUtcNow();
                outcome = CancelOutcome.Cancelled;
            }
            return true;
        }, cancellationToken);
        if (!found) return outcome;
        // Deleting the job keeps a queued run from ever starting and fires a running one's token on its worker (within
        // a second); the worker also sees CancelRequested at its next flush.
        if (jobId is not null) queue.Delete(jobId);
        return outcome;
    }
}

using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Leaderboard.Jobs;

/// <summary>Puts runs on Hangfire's queue of their track's hardware class, takes them off and tells what became of a run's job.</summary>
public sealed class RunQueue(IBackgroundJobClient jobs, JobStorage storage)
{
    /// <summary>Queues a training job for the run; returns the Hangfire job id (kept on the run to cancel it).</summary>
    public string Enqueue(long runId, string hardwareClass) =>
        jobs.Create(Job.FromExpression<TrainRunJob>(job => job.ExecuteAsync(runId, CancellationToken.None)), new EnqueuedState(hardwareClass));

    /// <summary>
    /// Deletes the run's job: a queued job is never started; a running one sees its cancellation token fire within
    /// the server's CancellationCheckInterval, wherever it runs.
    /// </summary>
    public void Delete(string jobId) => jobs.Delete(jobId);

    /// <summary>Whether the job was deleted (a cancel, or an admin in the dashboard) or no longer exists.</summary>
    public bool IsDeleted(string jobId) => StateOf(jobId) is null or "Deleted";

    /// <summary>Whether the job will still run: waiting in its queue, scheduled, or processing (a dead node's job is delivered again).</summary>
    public bool IsPending(string jobId) => StateOf(jobId) is "Enqueued" or "Scheduled" or "Processing" or "Awaiting";

    private string? StateOf(string jobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }
}

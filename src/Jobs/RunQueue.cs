using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Leaderboard.Jobs;

/// <summary>Puts runs on Hangfire's queue of their track's hardware class and takes them off.</summary>
public sealed class RunQueue(IBackgroundJobClient jobs)
{
    /// <summary>Queues a training job for the run; returns the Hangfire job id (kept on the run to cancel it).</summary>
    public string Enqueue(long runId, string hardwareClass) =>
        jobs.Create(Job.FromExpression<TrainRunJob>(job => job.ExecuteAsync(runId, CancellationToken.None)), new EnqueuedState(hardwareClass));

    /// <summary>
    /// Deletes the run's job: a queued job is never started; a running one sees its cancellation token fire within
    /// the server's CancellationCheckInterval, wherever it runs.
    /// </summary>
    public void Delete(string jobId) => jobs.Delete(jobId);
}

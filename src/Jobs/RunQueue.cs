using Leaderboard.Data.Entities;
using Quartz;

namespace Leaderboard.Jobs;

/// <summary>Puts runs on the Quartz cluster (in their track's hardware group) and takes them off.</summary>
public sealed class RunQueue(ISchedulerFactory schedulerFactory)
{
    public static JobKey JobKeyFor(long runId) => new($"run-{runId}", "runs");

    public async Task EnqueueAsync(long runId, string hardware, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<TrainRunJob>()
            .WithIdentity(JobKeyFor(runId))
            .UsingJobData(TrainRunJob.RunIdKey, runId)
            // A worker that dies mid-run hands the run to another node (or to itself on restart).
            .RequestRecovery(true)
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"run-{runId}", "runs")
            .WithExecutionGroup(hardware)
            .StartNow()
            .Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
    }

    /// <summary>Takes a queued run's job off the queue.</summary>
    public async Task RemoveAsync(long runId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(JobKeyFor(runId), cancellationToken);
    }

    /// <summary>
    /// Interrupts a running run cluster-wide (its node cancels the job at its next check-in). The job also watches the
    /// run's CancelRequested flag, so a cancel holds even if the interrupt is missed.
    /// </summary>
    public async Task InterruptAsync(long runId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        await scheduler.Interrupt(JobKeyFor(runId), cancellationToken);
    }
}

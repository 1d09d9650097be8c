using Microsoft.Extensions.Logging;

namespace Leaderboard.Jobs;

public enum InterruptionReason { WorkerStopping, JobDeleted }

/// <summary>
/// Why a run's attempt must stop before its end: this worker is stopping (SIGTERM, upgrade), or its Hangfire job was
/// deleted (the owner's cancel, an admin in the dashboard). Hangfire's job token also fires when the job is merely
/// delivered again elsewhere (after a database outage longer than the invisibility timeout); that is not a reason to
/// stop a live run, so a fired job token counts only when the job is really gone.
/// </summary>
public sealed class RunInterruption : IDisposable
{
    private readonly CancellationTokenSource _interrupted = new();
    private readonly CancellationTokenRegistration _onStopping;
    private readonly CancellationTokenRegistration _onJobToken;
    private int _reason = -1;

    public RunInterruption(long runId, Func<bool> jobDeleted, ILogger logger, CancellationToken workerStopping, CancellationToken jobToken)
    {
        _onStopping = workerStopping.Register(() => Interrupt(InterruptionReason.WorkerStopping));
        _onJobToken = jobToken.Register(() =>
        {
            if (workerStopping.IsCancellationRequested) return;
            try
            {
                if (jobDeleted())
                {
                    Interrupt(InterruptionReason.JobDeleted);
                    return;
                }
                logger.LogWarning("Run {RunId}: its job was delivered again elsewhere while this worker holds the run; going on", runId);
            }
            catch (Exception exception) when (Data.DatabaseOutage.IsOutage(exception))
            {
                logger.LogWarning("Run {RunId}: its job's token fired while the database is unreachable; going on", runId);
            }
        });
    }

    public CancellationToken Token => _interrupted.Token;
    public bool IsRequested => _interrupted.IsCancellationRequested;
    public InterruptionReason? Reason => Volatile.Read(ref _reason) is var reason and >= 0 ? (InterruptionReason)reason : null;

    private void Interrupt(InterruptionReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, -1) == -1) _interrupted.Cancel();
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _onJobToken.Dispose();
        _interrupted.Dispose();
    }
}

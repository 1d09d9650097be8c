using System.Text.Json;
using Hangfire;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Models;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs;

/// <summary>
/// Trains one run under its track's budget and scores it: the trainer as a child process with the deadline, its
/// progress and output streamed into the database, its process tree killed at deadline + grace, then a separate
/// evaluation process on the val split. Every way it can end leaves the run in a final state with a reason and, for a
/// failure, whose fault it is; a platform fault re-queues the run until the attempt cap.
/// </summary>
public sealed class TrainRunJob(
    RunStore store,
    RunQueue queue,
    DatabaseRetry retry,
    DatasetCatalog datasets,
    NodeState node,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<TrainRunJob> logger)
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private const string CancelledReason = "Cancelled by its owner.";

    /// <summary>
    /// Hangfire's entry point. No automatic retries: a platform fault re-queues the run itself (with the attempt
    /// counted), a user fault must not be retried. A worker that dies is not a retry: Hangfire re-delivers its job (and
    /// the reconciler re-queues its run).
    /// </summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("Run {0}")]
    public async Task ExecuteAsync(long runId, CancellationToken cancellationToken)
    {
        // Every log line written while this job runs (ours, the store's, EF's) carries the run id as a structured field.
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId });
        var run = await store.LoadAsync(runId, cancellationToken);
        if (run is null || run.IsFinished)
        {
            logger.LogInformation("Run {RunId} is gone or already finished; nothing to do", runId);
            return;
        }
        var seen = run.Attempt;
        if (run.CancelRequested)
        {
            await store.FinishAsync(runId, seen, RunStatus.Cancelled, CancelledReason, null, CancellationToken.None);
            return;
        }
        if (run.Status is RunStatus.Running or RunStatus.Evaluating)
        {
            // Hangfire delivers a job again when its worker stopped extending it: the worker died, or the database was
            // down longer than the invisibility timeout while the worker (and its trainer) went on.
            if (await IsHeldByLiveWorkerAsync(run, cancellationToken))
            {
                logger.LogInformation("Run {RunId}: delivered again, but worker {Worker} still holds it; nothing to do", runId, run.Worker);
                return;
            }
            logger.LogWarning("Run {RunId}: its worker {Worker} was lost; recovering (attempt {Attempt})", runId, run.Worker, seen + 1);
        }
        var attempt = seen + 1;
        if (attempt > options.Value.MaxAttempts)
        {
            await store.FinishAsync(runId, seen, RunStatus.Failed,
                $"Platform fault: the run was interrupted {seen} times (last on worker {run.Worker}); gave up after {seen} attempts. It does not count against your submissions; submit it again to retry.",
                FailureClass.Platform, CancellationToken.None);
            return;
        }

        var gpu = node.TakeGpu();
        node.RunStarted(runId);
        using var interruption = new RunInterruption(runId, () => run.JobId is { } jobId && queue.IsDeleted(jobId), logger,
            lifetime.ApplicationStopping, cancellationToken);
        try
        {
            await RunAttemptAsync(run, attempt, gpu, interruption);
        }
        catch (OperationCanceledException) when (interruption.Reason is { } reason)
        {
            await OnInterruptedAsync(run, attempt, reason);
        }
        catch (Exception exception) when (exception is DatasetNotAvailableException or IOException or UnauthorizedAccessException)
        {
            // The node's disk or folders, not the recipe: another attempt (maybe on another node) may succeed.
            await RequeueOrFailAsync(run, attempt, $"Platform fault: {exception.Message}");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Run {RunId}: the worker failed", runId);
            await store.FinishAsync(runId, attempt, RunStatus.Failed, $"Platform fault: the worker {node.Name} failed: {exception.Message}",
                FailureClass.Platform, CancellationToken.None);
            throw;
        }
        finally
        {
            node.ReturnGpu(gpu);
            node.RunEnded(runId);
        }
    }

    /// <summary>
    /// Whether the run's worker still holds it: this node knows; another node's next heartbeat (awaited for at most twice
    /// <see cref="WorkerOptions.NodeLostAfter"/>: right after an outage its first beats may fail on stale connections)
    /// lists it or not. A beat, not a clock comparison: nodes' clocks differ.
    /// </summary>
    private async Task<bool> IsHeldByLiveWorkerAsync(Run run, CancellationToken cancellationToken)
    {
        if (run.Worker is not { } worker) return false;
        if (worker == node.Name) return node.IsRunning(run.Id);
        var before = await store.LoadNodeAsync(worker, cancellationToken);
        if (before is null) return false;
        var giveUpAt = clock.GetUtcNow() + 2 * options.Value.NodeLostAfter;
        while (clock.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(options.Value.NodeLostAfter / 12, clock, cancellationToken);
            var now = await store.LoadNodeAsync(worker, cancellationToken);
            if (now is null) return false;
            if (now.LastSeen != before.LastSeen) return now.CurrentRunIds.Contains(run.Id);
        }
        return false;
    }

    /// <summary>
    /// The attempt was interrupted: its owner cancelled the run (its job was deleted), an admin deleted the job in the
    /// dashboard, or this worker is stopping — then the trainer was asked to checkpoint, and the run goes back to the
    /// queue to resume from that checkpoint on the next free worker, with the budget it has left.
    /// </summary>
    private async Task OnInterruptedAsync(Run run, int attempt, InterruptionReason reason)
    {
        var runId = run.Id;
        var current = await store.LoadAsync(runId, CancellationToken.None);
        if (current is null || current.Attempt != attempt || current.IsFinished)
        {
            logger.LogWarning("Run {RunId}: attempt {Attempt} no longer owns the run; stopped without writing", runId, attempt);
            return;
        }
        if (current.CancelRequested)
        {
            logger.LogInformation("Run {RunId}: cancelled by its owner", runId);
            await store.FinishAsync(runId, attempt, RunStatus.Cancelled, CancelledReason, null, CancellationToken.None);
            return;
        }
        if (reason == InterruptionReason.JobDeleted)
        {
            logger.LogWarning("Run {RunId}: its job was deleted in the Hangfire dashboard", runId);
            await store.FinishAsync(runId, attempt, RunStatus.Cancelled, "Cancelled by an administrator (its job was deleted in the Hangfire dashboard).", null,
                CancellationToken.None);
            return;
        }
        logger.LogWarning("Run {RunId}: worker stopping; the run goes back to the queue", runId);
        await RequeueAsync(run, attempt,
            $"The worker {node.Name} stopped (restart or upgrade) during attempt {attempt}; re-queued automatically, it resumes from the checkpoint written when it stopped.");
    }

    /// <summary>A platform fault: the run goes back to the queue (a later attempt resumes it), or fails at the attempt cap, saying so.</summary>
    private async Task RequeueOrFailAsync(Run run, int attempt, string fault)
    {
        var maxAttempts = options.Value.MaxAttempts;
        logger.LogWarning("Run {RunId} attempt {Attempt}: {Fault}", run.Id, attempt, fault);
        if (attempt >= maxAttempts)
        {
            await store.FinishAsync(run.Id, attempt, RunStatus.Failed,
                $"{fault} Gave up after {attempt} attempts; the run does not count against your submissions.", FailureClass.Platform, CancellationToken.None);
            return;
        }
        await RequeueAsync(run, attempt, $"{fault} Re-queued automatically (attempt {attempt} of {maxAttempts}).");
    }

    /// <summary>Hands the run back to its class's queue with a new job; a later attempt resumes from its last checkpoint.</summary>
    private async Task RequeueAsync(Run run, int attempt, string reason)
    {
        var requeued = await store.UpdateOwnedAsync(run.Id, attempt, r =>
        {
            r.Status = RunStatus.Queued;
            r.FailureClass = FailureClass.Platform;
            r.FailureReason = reason;
            r.JobId = null;
        }, CancellationToken.None);
        if (!requeued) return;
        var jobId = await retry.RunAsync($"queueing run {run.Id} again", () => Task.FromResult(queue.Enqueue(run.Id, run.Submission.Track.Hardware)), CancellationToken.None);
        await store.SetQueuedJobAsync(run.Id, attempt, null, jobId, CancellationToken.None);
    }

    private async Task RunAttemptAsync(Run run, int attempt, string? gpu, RunInterruption interruption)
    {
        var cancellationToken = interruption.Token;
        var runId = run.Id;
        var worker = options.Value;
        var track = run.Submission.Track;
        var startedAt = clock.GetUtcNow();
        // Parsed once, under this run's seed: the trained file, the teacher, the result's hash and cost all come from it.
        var seeded = SeededRecipe.Of(run.Submission.RecipeCanonical, run.Seed);

        if (run.CheckpointPath is { } scored && File.Exists(scored))
        {
            // Training already ended with a checkpoint from before its deadline (the attempt was lost or its evaluation
            // failed): score that checkpoint again.
            if (!await store.TryClaimAsync(runId, run.Attempt, r =>
                {
                    r.Status = RunStatus.Evaluating;
                    r.Worker = node.Name;
                }, cancellationToken)) return;
            await EvaluateAsync(run, attempt, gpu, seeded, scored, CheckpointStamp.ReadElapsed(scored), datasets.Resolve(track.Dataset), cancellationToken);
            return;
        }

        // A calibrated budget needs this node's score: right after start, its first measure is still running.
        if (track.BudgetMode == BudgetModes.Calibrated && node.Calibration is null && options.Value.CalibrationHours > 0)
            await node.FirstCalibration.WaitAsync(CalibrationWait, clock, cancellationToken);
        // A run recovered from a lost worker resumes from its last checkpoint, with the budget that checkpoint left.
        var resume = attempt > 1 ? FindResumePoint(runId, attempt, track.BudgetSeconds) : null;
        var (plan, refusal) = BudgetPlan.Create(track, node.Calibration?.Score, startedAt, resume?.Elapsed ?? 0);
        if (plan is null)
        {
            await RequeueOrFailAsync(run, attempt, $"Platform fault on worker {node.Name}: {refusal}");
            return;
        }
        var deadline = plan.Deadline;
        var claimed = await store.TryClaimAsync(runId, run.Attempt, r =>
        {
            r.Status = RunStatus.Running;
            r.StartedAt = startedAt;
            r.Deadline = deadline;
            r.Worker = node.Name;
        }, cancellationToken);
        if (!claimed)
        {
            logger.LogInformation("Run {RunId} was cancelled or taken by another worker before it started", runId);
            return;
        }
        var dataset = datasets.Resolve(track.Dataset);
        var runDir = Path.GetFullPath(Path.Combine(worker.RunsRoot, runId.ToString(), $"attempt-{attempt}"));
        var recipePath = Path.Combine(runDir, "recipe.json");
        try
        {
            Directory.CreateDirectory(runDir);
            await File.WriteAllTextAsync(recipePath, seeded.Canonical, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"the run folder {runDir} cannot be written on worker {node.Name} ({exception.Message}).", exception);
        }
        var teacher = await TeacherOfAsync(seeded.Recipe, cancellationToken);
        if (teacher.Refusal is { } teacherRefusal)
        {
            if (teacher.Class == FailureClass.Platform) await RequeueOrFailAsync(run, attempt, teacherRefusal);
            else await store.FinishAsync(runId, attempt, RunStatus.Failed, teacherRefusal, teacher.Class, CancellationToken.None);
            return;
        }
        // A fresh start is checked before its budget starts; a resumed one passed its pre-flight on this hardware class.
        if (resume is null)
        {
            if (await PreflightAsync(run, attempt, gpu, recipePath, dataset, teacher.Checkpoint, plan, cancellationToken) is not { } preflight) return;
            plan = plan with { Deadline = plan.Deadline + preflight.Seconds }; // not charged to the budget
            deadline = plan.Deadline;
            // The measured throughput's training time (in the plan's measure, at the node's speed), never past the deadline:
            // a wall or calibrated deadline is the budget's end, so the run ends that much before it; a cpu-time deadline is a
            // wall-clock cap further out, so CPU seconds count from now as wall seconds (one busy core).
            double expectedSeconds = Math.Min(plan.Remaining, preflight.Report!.ExpectedTrainSeconds ?? plan.Remaining) / plan.Speed;
            var expectedFinish = plan.CpuLimit is null
                ? deadline - TimeSpan.FromSeconds(plan.Remaining / plan.Speed - expectedSeconds)
                : clock.GetUtcNow() + TimeSpan.FromSeconds(expectedSeconds);
            if (expectedFinish > deadline) expectedFinish = deadline;
            if (!await store.UpdateOwnedAsync(runId, attempt, r =>
                {
                    r.Deadline = deadline;
                    r.ExpectedFinish = expectedFinish;
                }, cancellationToken)) return;
        }
        logger.LogInformation("Run {RunId}: attempt {Attempt} training on {Dataset} for {Budget}, until {Deadline:O} at the latest (GPU {Gpu})",
            runId, attempt, dataset, plan.Describe(), deadline, gpu ?? "none");

        var training = await TrainAsync(runId, attempt, gpu, recipePath, dataset, runDir, plan, resume, teacher.Checkpoint, interruption);
        switch (training.Kind)
        {
            case OutcomeKind.LostOwnership:
                logger.LogWarning("Run {RunId}: attempt {Attempt} no longer owns the run; stopped without writing", runId, attempt);
                return;
            case OutcomeKind.PlatformFault:
                await RequeueOrFailAsync(run, attempt, training.Reason!);
                return;
            case OutcomeKind.Ended:
                await store.FinishAsync(runId, attempt, training.Status!.Value, training.Reason, training.Class, CancellationToken.None);
                return;
        }

        if (!await store.UpdateOwnedAsync(runId, attempt, r =>
            {
                r.Status = RunStatus.Evaluating;
                r.CheckpointPath = training.Checkpoint;
            }, cancellationToken)) return;
        await EvaluateAsync(run, attempt, gpu, seeded, training.Checkpoint!, training.CheckpointElapsed, dataset, cancellationToken);
    }

    /// <summary>
    /// The pre-flight check (<see cref="RunPreflight"/>), its rows and output stored with the run; null when the run ended
    /// (the recipe's fault), went back to the queue (the platform's) or is no longer this attempt's.
    /// </summary>
    private async Task<PreflightOutcome?> PreflightAsync(Run run, int attempt, string? gpu, string recipePath, string dataset, string? teacher,
        BudgetPlan plan, CancellationToken cancellationToken)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var worker = options.Value;
        List<string> arguments =
        [
            "preflight", recipePath, "--dataset", dataset, "--budget", PreflightBudget(plan).ToString(invariant),
            "--device", node.Hardware.Device, "--max-seconds", (worker.PreflightSeconds / 2).ToString(invariant),
        ];
        if (plan.CpuLimit is not null) arguments.AddRange(["--clock", "cpu"]);
        if (teacher is not null) arguments.AddRange(["--teacher", teacher]);
        var output = new RunOutput();
        var preflight = await RunPreflight.RunAsync(worker, node.Name, arguments, gpu, output, clock, cancellationToken);
        foreach (var progress in preflight.ToProgress()) output.AddProgress(progress);
        var flushed = await FlushAsync(run.Id, attempt, output);
        if (!flushed.StillOwned) return null;
        cancellationToken.ThrowIfCancellationRequested();
        logger.LogInformation("Run {RunId}: pre-flight {Verdict} in {Seconds:F1} s: {Reason}", run.Id, preflight.Passed ? "passed" : "failed",
            preflight.Seconds.TotalSeconds, preflight.Refusal ?? preflight.Report?.Reason);
        if (preflight.Passed) return preflight;
        if (preflight.Class == FailureClass.Platform) await RequeueOrFailAsync(run, attempt, preflight.Refusal!);
        else await store.FinishAsync(run.Id, attempt, RunStatus.Failed, preflight.Refusal, FailureClass.User, CancellationToken.None);
        return null;
    }

    /// <summary>The budget the pre-flight plans one epoch against, in its clock's seconds: CPU seconds (cpu-time), else wall seconds at this node's speed.</summary>
    private static double PreflightBudget(BudgetPlan plan) => plan.CpuLimit ?? plan.Remaining / plan.Speed;

    /// <summary>How long a calibrated run waits for the node's first calibration (it measures a few seconds of training).</summary>
    private static readonly TimeSpan CalibrationWait = TimeSpan.FromMinutes(10);

    private enum OutcomeKind { Trained, Ended, PlatformFault, LostOwnership }

    private sealed record TrainingOutcome(OutcomeKind Kind, string? Checkpoint = null, double? CheckpointElapsed = null,
        RunStatus? Status = null, string? Reason = null, FailureClass? Class = null);

    private sealed record ResumePoint(string Checkpoint, double Elapsed);

    /// <summary>The newest checkpoint an earlier attempt of this run left with budget to spare, if any.</summary>
    private ResumePoint? FindResumePoint(long runId, int attempt, int budgetSeconds)
    {
        for (var earlier = attempt - 1; earlier >= 1; earlier--)
        {
            var checkpoint = Path.GetFullPath(Path.Combine(options.Value.RunsRoot, runId.ToString(), $"attempt-{earlier}", "checkpoint.safetensors"));
            if (CheckpointStamp.ReadElapsed(checkpoint) is { } elapsed && elapsed < budgetSeconds)
            {
                logger.LogInformation("Run {RunId}: resuming from {Checkpoint} at {Elapsed:F0} s of {Budget} s", runId, checkpoint, elapsed, budgetSeconds);
                return new(checkpoint, elapsed);
            }
        }
        return null;
    }

    private sealed record Teacher(string? Checkpoint, string? Refusal = null, FailureClass? Class = null);

    /// <summary>
    /// DeiT distillation (Touvron et al. 2021): the checkpoint of the completed run the recipe names as its teacher, passed
    /// to the trainer with --teacher; none without distillation. Submission checked the run; its file must be on this node.
    /// </summary>
    private async Task<Teacher> TeacherOfAsync(Recipe recipe, CancellationToken cancellationToken)
    {
        if (recipe.Training.Distillation is not { } distillation) return new(null);
        var teacher = await store.LoadAsync(distillation.TeacherRun, cancellationToken);
        if (teacher is not { Status: RunStatus.Completed, CheckpointPath: { } checkpoint })
            return new(null, $"The teacher run {distillation.TeacherRun} is not a completed run with a checkpoint.", FailureClass.User);
        if (!File.Exists(checkpoint))
            return new(null, $"Platform fault: the teacher's checkpoint {checkpoint} is not on worker {node.Name} (Worker__DataRoot must be shared by all nodes).", FailureClass.Platform);
        return new(checkpoint);
    }

    private async Task<TrainingOutcome> TrainAsync(long runId, int attempt, string? gpu, string recipePath, string dataset, string runDir,
        BudgetPlan plan, ResumePoint? resume, string? teacher, RunInterruption interruption)
    {
        var worker = options.Value;
        var deadline = plan.Deadline;
        // The trainer gets the absolute deadline: the time it takes to start counts against the budget, not past it.
        List<string> arguments = ["train", recipePath, "--dataset", dataset, .. plan.TrainerArguments(), "--out", runDir, "--device", node.Hardware.Device];
        if (resume is not null) arguments.AddRange(["--resume", resume.Checkpoint]);
        if (teacher is not null) arguments.AddRange(["--teacher", teacher]);
        var output = new RunOutput();
        using var trainer = TrainerProcess.Start(worker, arguments, gpu, output.AddLine);
        // Enforcement: the trainer stops itself at the deadline; past deadline + grace its process tree is killed.
        using var budgetGuard = new CancellationTokenSource(deadline - clock.GetUtcNow() + TimeSpan.FromSeconds(worker.GraceSeconds), clock);
        using var halt = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(budgetGuard.Token, halt.Token);
        // A stopping worker asks the trainer to checkpoint and exit (SIGTERM) and gives it StopGraceSeconds; anything else stops it now.
        using var onInterrupt = interruption.Token.Register(() =>
        {
            if (interruption.Reason != InterruptionReason.WorkerStopping)
            {
                halt.Cancel();
                return;
            }
            logger.LogInformation("Run {RunId}: asking the trainer to checkpoint and stop (worker stopping)", runId);
            trainer.Terminate();
            halt.CancelAfter(TimeSpan.FromSeconds(worker.StopGraceSeconds));
        });
        var flushing = FlushPeriodicallyAsync(runId, attempt, output, halt, stop.Token);
        var cpuGuard = plan.CpuLimit is { } cpuLimit ? GuardCpuTimeAsync(trainer, cpuLimit + worker.GraceSeconds, budgetGuard, stop.Token) : Task.CompletedTask;

        var checkpoints = new List<ProgressEvent>();
        string? trainerError = null;
        string? trainerFault = null;
        try
        {
            await foreach (var line in trainer.ReadLinesAsync(stop.Token))
            {
                if (ProgressEvent.TryParse(line) is not { } progress) continue;
                output.AddProgress(progress);
                if (progress.Checkpoint is not null) checkpoints.Add(progress);
                if (progress.Event == "error") (trainerError, trainerFault) = (progress.Message, progress.Fault);
            }
            await trainer.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            if (budgetGuard.IsCancellationRequested && !interruption.IsRequested)
                logger.LogWarning("Run {RunId}: trainer still running at deadline + grace; killing its process tree", runId);
        }
        finally
        {
            trainer.KillTree();
            await halt.CancelAsync();
        }
        await cpuGuard;
        var flushed = await flushing;
        if (flushed.StillOwned && !flushed.CancelRequested) flushed = await FlushAsync(runId, attempt, output);
        if (!flushed.StillOwned) return new(OutcomeKind.LostOwnership);
        interruption.Token.ThrowIfCancellationRequested();
        if (flushed.CancelRequested) return new(OutcomeKind.Ended, Status: RunStatus.Cancelled, Reason: CancelledReason);

        // A checkpoint counts when written before the deadline (a cpu-time run's wall-clock cap) within the budget its stamp says it spent.
        var checkpoint = checkpoints.LastOrDefault(c => File.Exists(c.Checkpoint) && File.GetLastWriteTimeUtc(c.Checkpoint!) <= deadline.UtcDateTime
                && c.Elapsed <= plan.BudgetSeconds)
            ?? UnreportedCheckpoint(runDir, deadline, plan.BudgetSeconds);
        if (checkpoint is not null) return new(OutcomeKind.Trained, checkpoint.Checkpoint, checkpoint.Elapsed);
        // A resumed attempt that got no further still has the earlier attempt's checkpoint, written before its deadline.
        if (resume is not null && (budgetGuard.IsCancellationRequested || (trainer.ExitCode == 0 && trainerError is null)))
            return new(OutcomeKind.Trained, resume.Checkpoint, resume.Elapsed);

        if (budgetGuard.IsCancellationRequested)
            return new(OutcomeKind.Ended, Status: RunStatus.BudgetExceeded, Class: FailureClass.User,
                Reason: plan.CpuLimit is null || clock.GetUtcNow() >= deadline
                    ? "The trainer was still running at the deadline plus grace and no checkpoint was written before the deadline."
                    : $"The trainer was still running past its CPU-time budget ({plan.BudgetSeconds} s) plus grace and no checkpoint was written within it.");
        var exitCode = trainer.ExitCode;
        // The machine failed the trainer (disk full, unwritable run folder): not the recipe's fault.
        if (trainerFault == ProgressEvent.PlatformFault)
            return new(OutcomeKind.PlatformFault, Reason: $"Platform fault on worker {node.Name}: {trainerError}");
        // Killed by a signal without saying why (exit code 128 + signal): a crash of the node's software or hardware, not of the recipe.
        if (trainerError is null && exitCode > 128)
            return new(OutcomeKind.PlatformFault, Reason: $"Platform fault: the trainer was {TrainerProcess.DescribeSignal(exitCode - 128)} on worker {node.Name}. Last lines of its stderr: {trainer.StderrTail}".Trim());
        return exitCode != 0
            ? new(OutcomeKind.Ended, Status: RunStatus.Failed, Class: FailureClass.User, Reason: $"The trainer exited with code {exitCode}: {trainerError ?? trainer.StderrTail}".Trim())
            : new(OutcomeKind.Ended, Status: RunStatus.Failed, Class: FailureClass.User, Reason: "The trainer wrote no checkpoint before the deadline.");
    }

    /// <summary>
    /// The checkpoint the trainer wrote before the deadline although the worker never read its event: the reading was
    /// cut off at deadline + grace while the worker was slowed down (a loaded node, a database outage).
    /// </summary>
    private static ProgressEvent? UnreportedCheckpoint(string runDir, DateTimeOffset deadline, double budgetSeconds)
    {
        var path = Path.Combine(runDir, "checkpoint.safetensors");
        return File.Exists(path) && File.GetLastWriteTimeUtc(path) <= deadline.UtcDateTime && CheckpointStamp.ReadElapsed(path) is { } elapsed
            && elapsed <= budgetSeconds
            ? new ProgressEvent { Event = "checkpoint", Elapsed = elapsed, Checkpoint = path }
            : null;
    }

    /// <summary>
    /// A cpu-time budget's enforcement: reads the trainer's process-tree CPU seconds from /proc four times a second and
    /// ends the run as over budget (<paramref name="budgetGuard"/>) once they pass <paramref name="limit"/> (budget + grace).
    /// </summary>
    private async Task GuardCpuTimeAsync(TrainerProcess trainer, double limit, CancellationTokenSource budgetGuard, CancellationToken stop)
    {
        try
        {
            while (!trainer.HasExited)
            {
                await Task.Delay(CpuPollInterval, clock, stop);
                var cpuSeconds = trainer.CpuSeconds; // a walk of the trainer's process tree in /proc
                if (cpuSeconds <= limit) continue;
                logger.LogWarning("Trainer {Pid}: {Cpu:F1} CPU seconds, past the budget plus grace ({Limit:F1} s); stopping it", trainer.Id, cpuSeconds, limit);
                await budgetGuard.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static readonly TimeSpan CpuPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Saves the trainer's progress and output every second, whether or not it writes anything; stops the trainer (via
    /// <paramref name="halt"/>) when the run's owner cancelled it or another attempt took it over.
    /// </summary>
    private async Task<FlushOutcome> FlushPeriodicallyAsync(long runId, int attempt, RunOutput output, CancellationTokenSource halt, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FlushInterval, clock, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var flushed = await FlushAsync(runId, attempt, output);
            if (!flushed.StillOwned || flushed.CancelRequested)
            {
                await halt.CancelAsync();
                return flushed;
            }
        }
        return new(StillOwned: true, CancelRequested: false);
    }

    private Task<FlushOutcome> FlushAsync(long runId, int attempt, RunOutput output)
    {
        var (events, lines) = output.Drain();
        // Never cancelled half-way: what was drained is written or the run is no longer this attempt's.
        return store.FlushAsync(runId, attempt, events, lines, options.Value.MaxLogLines, CancellationToken.None);
    }

    private async Task EvaluateAsync(Run run, int attempt, string? gpu, SeededRecipe seeded, string checkpoint, double? trainSeconds, string dataset, CancellationToken cancellationToken)
    {
        var worker = options.Value;
        var output = new RunOutput();
        using var trainer = TrainerProcess.Start(worker, ["evaluate", checkpoint, "--dataset", dataset, "--device", node.Hardware.Device], gpu, output.AddLine);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(worker.EvaluationTimeoutSeconds));
        EvaluationResult? evaluation = null;
        var timedOut = false;
        try
        {
            await foreach (var line in trainer.ReadLinesAsync(timeout.Token))
            {
                if (line.StartsWith('{')) evaluation = JsonSerializer.Deserialize<EvaluationResult>(line, ProgressEvent.JsonOptions);
            }
            await trainer.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
        }
        finally
        {
            trainer.KillTree();
        }
        var flushed = await FlushAsync(run.Id, attempt, output);
        if (!flushed.StillOwned) return;
        cancellationToken.ThrowIfCancellationRequested();
        if (timedOut)
        {
            await RequeueOrFailAsync(run, attempt, $"Platform fault: evaluation did not finish within {worker.EvaluationTimeoutSeconds} s on worker {node.Name}.");
            return;
        }
        if (trainer.ExitCode != 0 || evaluation is null)
        {
            var how = trainer.ExitCode > 128 ? TrainerProcess.DescribeSignal(trainer.ExitCode - 128) : $"exit code {trainer.ExitCode}";
            await RequeueOrFailAsync(run, attempt, $"Platform fault: evaluation failed on worker {node.Name} ({how}): {trainer.StderrTail}".Trim());
            return;
        }

        var track = run.Submission.Track;
        var hardware = node.Hardware;
        var recipe = seeded.Recipe;
        var model = ModelResolver.Resolve(recipe.Model, track.NumClasses);
        var evalSize = recipe.Evaluation.ImageSize ?? recipe.Data.ImageSize;
        var cost = ModelCost.Count(model, evalSize);
        var completed = await store.CompleteAsync(run.Id, attempt, new Result
        {
            Top1 = evaluation.Top1,
            Top5 = evaluation.Top5,
            EvalImages = evaluation.Images,
            Params = evaluation.Params ?? cost.Params,
            Gflops = evaluation.Subnetworks is [.., var largest] ? largest.Gflops : cost.Flops / 1e9,
            EvalImageSize = evalSize,
            ImagesPerSecond = evaluation.ImagesPerSecond ?? 0,
            TrainSeconds = trainSeconds,
            Device = evaluation.Device ?? node.Hardware.Device,
            Library = evaluation.Library,
            RecipeHash = seeded.Hash,
            Seed = run.Seed,
            CodeVersion = CodeVersion.Current,
            GpuModel = hardware.GpuModel,
            GpuDriver = hardware.DriverVersion,
            CudaVersion = hardware.CudaVersion,
            GpuPowerLimitWatts = hardware.PowerLimitWatts,
            GpuMemoryMib = hardware.GpuMemoryMib,
            CpuModel = hardware.CpuModel,
            CpuCores = hardware.CpuCores,
            RulesVersion = track.RulesVersion,
            BudgetMode = track.BudgetMode,
            CalibrationScore = node.Calibration?.Score,
            // HydraViT: every sub-network's own score (Haberer et al. 2024); the leaderboard lists each.
            Subnetworks = evaluation.Subnetworks?.Select(s => new ResultSubnetwork
            {
                Heads = s.Heads, Top1 = s.Top1, Top5 = s.Top5, Params = s.Params, Gflops = s.Gflops, ImagesPerSecond = s.ImagesPerSecond ?? 0,
            }).ToList() ?? [],
        }, cancellationToken);
        if (!completed)
        {
            await store.FinishAsync(run.Id, attempt, RunStatus.Cancelled, CancelledReason, null, CancellationToken.None);
            return;
        }
        logger.LogInformation("Run {RunId}: completed, top-1 {Top1:F2} %", run.Id, evaluation.Top1);
    }
}

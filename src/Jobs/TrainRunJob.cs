using System.Text.Json;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Models;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Leaderboard.Jobs;

/// <summary>
/// Trains one run under its track's budget and scores it: the trainer as a child process with the deadline, its
/// progress streamed into the database, its process tree killed at deadline + grace, then a separate evaluation process
/// on the val split. Every way it can end leaves the run in a final state with a reason.
/// </summary>
public sealed class TrainRunJob(
    RunStore store,
    DatasetCatalog datasets,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<TrainRunJob> logger) : IJob
{
    public const string RunIdKey = "runId";
    private static readonly TimeSpan ProgressFlushInterval = TimeSpan.FromSeconds(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var runId = context.MergedJobDataMap.GetLong(RunIdKey);
        try
        {
            await ExecuteRunAsync(context, runId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Either its owner cancelled it (CancelRequested is set before the interrupt) or this worker is stopping.
            var run = await store.LoadAsync(runId, CancellationToken.None);
            var cancelled = run?.CancelRequested ?? true;
            logger.LogWarning("Run {RunId} interrupted: {Why}", runId, cancelled ? "cancelled" : "worker shutting down");
            await store.FinishAsync(runId, cancelled ? RunStatus.Cancelled : RunStatus.Failed,
                cancelled ? "Cancelled by its owner." : "The worker was stopped while this run was in progress; submit it again to retry.",
                CancellationToken.None);
        }
        catch (Exception exception) when (exception is DatasetNotAvailableException or FileNotFoundException or IOException or JsonException)
        {
            logger.LogError(exception, "Run {RunId} failed", runId);
            await store.FinishAsync(runId, RunStatus.Failed, exception.Message, CancellationToken.None);
        }
    }

    private async Task ExecuteRunAsync(IJobExecutionContext context, long runId, CancellationToken cancellationToken)
    {
        var run = await store.LoadAsync(runId, cancellationToken);
        if (run is null || run.IsFinished)
        {
            logger.LogInformation("Run {RunId} is gone or already finished; nothing to do", runId);
            return;
        }
        var worker = options.Value;
        var attempt = run.Attempt + 1;
        if (context.Recovering) logger.LogWarning("Run {RunId}: recovering after its worker was lost (attempt {Attempt})", runId, attempt);
        if (attempt > worker.MaxAttempts)
        {
            await store.FinishAsync(runId, RunStatus.Failed, $"The worker running it was lost {run.Attempt} times; giving up.", cancellationToken);
            return;
        }

        var track = run.Submission.Track;
        var dataset = datasets.Resolve(track.Dataset);
        if (run.Status == RunStatus.Evaluating && run.CheckpointPath is { } scored && File.Exists(scored))
        {
            // Lost while being scored: the checkpoint from before the deadline is there; score it again.
            await EvaluateAsync(run, scored, CheckpointStamp.ReadElapsed(scored), dataset, cancellationToken);
            return;
        }
        var runDir = Path.GetFullPath(Path.Combine(worker.RunsRoot, runId.ToString(), $"attempt-{attempt}"));
        Directory.CreateDirectory(runDir);
        var recipePath = Path.Combine(runDir, "recipe.json");
        await File.WriteAllTextAsync(recipePath, run.Submission.RecipeCanonical, cancellationToken);

        // A run recovered from a lost worker resumes from its last checkpoint, with the budget that checkpoint left.
        var resume = attempt > 1 ? FindResumePoint(runId, attempt, track.BudgetSeconds) : null;
        var startedAt = clock.GetUtcNow();
        var deadline = startedAt + TimeSpan.FromSeconds(track.BudgetSeconds - (resume?.Elapsed ?? 0));
        var started = await store.TryStartAsync(runId, r =>
        {
            r.Status = RunStatus.Running;
            r.Attempt = attempt;
            r.StartedAt = startedAt;
            r.Deadline = deadline;
            r.Worker = context.Scheduler.SchedulerInstanceId;
            r.FailureReason = null;
        }, cancellationToken);
        if (!started)
        {
            logger.LogInformation("Run {RunId} was cancelled before it started", runId);
            return;
        }
        logger.LogInformation("Run {RunId}: training on {Dataset} for {Budget}s", runId, dataset, track.BudgetSeconds);

        var training = await TrainAsync(runId, recipePath, dataset, runDir, track.BudgetSeconds, deadline, resume?.Checkpoint, cancellationToken);
        if (training.Outcome is { } outcome)
        {
            await store.FinishAsync(runId, outcome.Status, outcome.Reason, CancellationToken.None);
            return;
        }

        await store.UpdateAsync(runId, r =>
        {
            r.Status = RunStatus.Evaluating;
            r.CheckpointPath = training.Checkpoint;
        }, cancellationToken);
        await EvaluateAsync(run, training.Checkpoint!, training.CheckpointElapsed, dataset, cancellationToken);
    }

    private sealed record TrainingOutcome(RunStatus Status, string Reason);

    private sealed record TrainingResult(string? Checkpoint, double? CheckpointElapsed, TrainingOutcome? Outcome);

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

    private async Task<TrainingResult> TrainAsync(long runId, string recipePath, string dataset, string runDir, int budgetSeconds,
        DateTimeOffset deadline, string? resumeFrom, CancellationToken cancellationToken)
    {
        var worker = options.Value;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        // The trainer gets the absolute deadline: the time it takes to start counts against the budget, not past it.
        List<string> arguments =
        [
            "train", recipePath, "--dataset", dataset, "--budget", budgetSeconds.ToString(invariant),
            "--deadline", deadline.UtcDateTime.ToString("O", invariant), "--out", runDir, "--device", worker.Device,
        ];
        if (resumeFrom is not null) arguments.AddRange(["--resume", resumeFrom]);
        using var trainer = TrainerProcess.Start(worker, arguments);
        // Enforcement: the trainer stops itself at the deadline; past deadline + grace its process tree is killed.
        using var budgetGuard = new CancellationTokenSource(deadline - clock.GetUtcNow() + TimeSpan.FromSeconds(worker.GraceSeconds), clock);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budgetGuard.Token);

        var checkpoints = new List<ProgressEvent>();
        var pending = new List<ProgressEvent>();
        string? trainerError = null;
        var lastFlush = clock.GetUtcNow();
        var cancelRequested = false;
        try
        {
            await foreach (var line in trainer.ReadLinesAsync(stop.Token))
            {
                if (ProgressEvent.TryParse(line) is not { } progress)
                {
                    logger.LogDebug("Run {RunId} trainer: {Line}", runId, line);
                    continue;
                }
                pending.Add(progress);
                if (progress.Checkpoint is not null) checkpoints.Add(progress);
                if (progress.Event == "error") trainerError = progress.Message;
                if (clock.GetUtcNow() - lastFlush < ProgressFlushInterval) continue;
                cancelRequested = await FlushAsync(runId, pending, stop.Token);
                lastFlush = clock.GetUtcNow();
                if (cancelRequested) break;
            }
            if (!cancelRequested) await trainer.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException) when (budgetGuard.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Run {RunId}: trainer still running at deadline + grace; killing its process tree", runId);
        }
        finally
        {
            trainer.KillTree();
        }
        await FlushAsync(runId, pending, CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        if (cancelRequested) return new(null, null, new(RunStatus.Cancelled, "Cancelled by its owner."));

        var checkpoint = checkpoints.LastOrDefault(c => File.Exists(c.Checkpoint) && File.GetLastWriteTimeUtc(c.Checkpoint!) <= deadline.UtcDateTime);
        if (checkpoint is not null) return new(checkpoint.Checkpoint, checkpoint.Elapsed, null);

        if (budgetGuard.IsCancellationRequested)
            return new(null, null, new(RunStatus.BudgetExceeded, "The trainer was still running at the deadline plus grace and no checkpoint was written before the deadline."));
        var detail = trainerError ?? trainer.StderrTail;
        return trainer.ExitCode != 0
            ? new(null, null, new(RunStatus.Failed, $"The trainer exited with code {trainer.ExitCode}: {detail}".Trim()))
            : new(null, null, new(RunStatus.Failed, "The trainer wrote no checkpoint before the deadline."));
    }

    /// <summary>Saves buffered progress; returns whether the run's owner asked to cancel it.</summary>
    private async Task<bool> FlushAsync(long runId, List<ProgressEvent> pending, CancellationToken cancellationToken)
    {
        await store.AppendProgressAsync(runId, pending, cancellationToken);
        pending.Clear();
        return await store.IsCancelRequestedAsync(runId, cancellationToken);
    }

    private async Task EvaluateAsync(Run run, string checkpoint, double? trainSeconds, string dataset, CancellationToken cancellationToken)
    {
        var worker = options.Value;
        using var trainer = TrainerProcess.Start(worker, ["evaluate", checkpoint, "--dataset", dataset, "--device", worker.Device]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(worker.EvaluationTimeoutSeconds));
        EvaluationResult? evaluation = null;
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
            await store.FinishAsync(run.Id, RunStatus.Failed, $"Evaluation did not finish within {worker.EvaluationTimeoutSeconds} s.", CancellationToken.None);
            return;
        }
        if (trainer.ExitCode != 0 || evaluation is null)
        {
            await store.FinishAsync(run.Id, RunStatus.Failed, $"Evaluation failed (exit code {trainer.ExitCode}): {trainer.StderrTail}".Trim(), CancellationToken.None);
            return;
        }

        var recipe = RecipeParser.Parse(run.Submission.RecipeCanonical).Recipe
            ?? throw new JsonException($"The stored recipe of submission {run.SubmissionId} no longer parses.");
        var model = ModelResolver.Resolve(recipe.Model, run.Submission.Track.NumClasses);
        var evalSize = recipe.Evaluation.ImageSize ?? recipe.Data.ImageSize;
        var cost = ModelCost.Count(model, evalSize);
        var completed = await store.CompleteAsync(run.Id, new Result
        {
            Top1 = evaluation.Top1,
            Top5 = evaluation.Top5,
            EvalImages = evaluation.Images,
            Params = evaluation.Params ?? cost.Params,
            Gflops = cost.Flops / 1e9,
            EvalImageSize = evalSize,
            ImagesPerSecond = evaluation.ImagesPerSecond ?? 0,
            TrainSeconds = trainSeconds,
            Device = evaluation.Device ?? worker.Device,
            Library = evaluation.Library,
            RecipeHash = run.Submission.RecipeHash,
            Seed = recipe.Seed,
            CodeVersion = CodeVersion.Current,
        }, cancellationToken);
        if (!completed)
        {
            await store.FinishAsync(run.Id, RunStatus.Cancelled, "Cancelled by its owner.", CancellationToken.None);
            return;
        }
        logger.LogInformation("Run {RunId}: completed, top-1 {Top1:F2} %", run.Id, evaluation.Top1);
    }
}

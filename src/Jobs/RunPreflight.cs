using System.Globalization;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Progress;

namespace Leaderboard.Jobs;

/// <summary>
/// What a run's pre-flight came to: passed (with its report), or a refusal with whose fault it is. <see cref="Seconds"/>
/// is the wall-clock time it took on the node, which the budget does not pay for.
/// </summary>
public sealed record PreflightOutcome(PreflightReport? Report, string? Refusal, FailureClass? Class, TimeSpan Seconds)
{
    public bool Passed => Report is { Passed: true } && Refusal is null;

    /// <summary>The report as the run's progress rows (event <c>preflight</c>): one per measured size, then the verdict.</summary>
    public IEnumerable<ProgressEvent> ToProgress()
    {
        if (Report is null) yield break;
        foreach (var size in Report.Sizes)
            yield return new ProgressEvent
            {
                Event = PreflightReport.EventName, Elapsed = 0, ImageSize = size.ImageSize, ImagesPerSecond = size.ImagesPerSecond, Loss = size.Loss,
                Message = $"{size.ImageSize} px, batch {size.BatchSize}: {size.ImagesPerSecond.ToString("#,0.##", CultureInfo.InvariantCulture)} images/s over {size.Steps} steps",
            };
        yield return new ProgressEvent
        {
            Event = PreflightReport.EventName, Elapsed = 0,
            Message = Report.Passed ? $"passed in {Report.Seconds:0.#} s: {Report.Reason}" : $"failed ({Report.Failure}): {Report.Reason}",
        };
    }
}

/// <summary>
/// Runs <c>lb-trainer preflight</c> for a run before its budget starts: the trainer builds the model and takes a few
/// steps at the curriculum's first and final size (see <c>Leaderboard.Trainer.Training.Preflight</c>), bounded by
/// <see cref="WorkerOptions.PreflightSeconds"/>. A recipe that runs out of memory, diverges or is too slow for one epoch
/// in the budget fails as the user's fault with the numbers; a trainer killed by a signal is the platform's.
/// </summary>
public static class RunPreflight
{
    public static async Task<PreflightOutcome> RunAsync(WorkerOptions worker, string nodeName, IReadOnlyList<string> arguments, string? gpu,
        RunOutput output, TimeProvider clock, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        using var trainer = TrainerProcess.Start(worker, arguments, gpu, output.AddLine);
        using var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cap.CancelAfter(TimeSpan.FromSeconds(worker.PreflightSeconds));
        PreflightReport? report = null;
        try
        {
            await foreach (var line in trainer.ReadLinesAsync(cap.Token))
                report = PreflightReport.TryParse(line) ?? report;
            await trainer.WaitForExitAsync(cap.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null,
                $"The pre-flight check did not finish within {worker.PreflightSeconds:0.#} s (Worker__PreflightSeconds) on worker {nodeName}: building the model and a few training steps at the first and final image size took longer. Use a smaller model, batch or image size.",
                FailureClass.User, clock.GetElapsedTime(started));
        }
        finally
        {
            trainer.KillTree();
        }
        var seconds = clock.GetElapsedTime(started);
        if (report is not null)
            return report.Passed ? new(report, null, null, seconds) : new(report, $"The pre-flight check failed ({report.Failure}): {report.Reason}.", FailureClass.User, seconds);
        var exitCode = trainer.ExitCode;
        if (exitCode > 128)
            return new(null, $"Platform fault: the pre-flight was {TrainerProcess.DescribeSignal(exitCode - 128)} on worker {nodeName}. Last lines of its stderr: {trainer.StderrTail}".Trim(),
                FailureClass.Platform, seconds);
        return new(null, $"The pre-flight check exited with code {exitCode}: {trainer.StderrTail}".Trim(), FailureClass.User, seconds);
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs;

/// <summary>
/// Generates the synthetic track's dataset on a worker's first start (the trainer's <c>synth</c> verb), into a
/// temporary folder renamed into place when complete, so an interrupted start never leaves half a dataset.
/// </summary>
public sealed class DatasetProvisioner(IOptions<WorkerOptions> options, NodeState node, WorkerReadiness readiness, ILogger<DatasetProvisioner> logger) : BackgroundService
{
    /// <summary>The synthetic track's images: 10 classes at 64 px, 300 train and 50 val images per class.</summary>
    public static readonly string[] SynthArguments = ["--classes", "10", "--size", "64", "--train-per-class", "300", "--val-per-class", "50", "--seed", "0"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The synthetic track is a CPU track: only CPU nodes serve it.
        if (node.Hardware.HardwareClass != NodeHardware.Cpu) return;
        try
        {
            await EnsureSyntheticDatasetAsync(stoppingToken);
            readiness.MarkReady();
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or FileNotFoundException)
        {
            logger.LogError(exception, "Could not generate the synthetic dataset");
            readiness.MarkFailed(exception.Message);
        }
    }

    private async Task EnsureSyntheticDatasetAsync(CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(options.Value.SyntheticDatasetPath);
        if (File.Exists(Path.Combine(target, "dataset.json"))) return;

        var staging = target + ".partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Console.WriteLine($"Generating the synthetic dataset in {target} (first start only)...");
        using var trainer = TrainerProcess.Start(options.Value, ["synth", staging, .. SynthArguments]);
        await foreach (var line in trainer.ReadLinesAsync(cancellationToken)) logger.LogInformation("synth: {Line}", line);
        await trainer.WaitForExitAsync(cancellationToken);
        if (trainer.ExitCode != 0)
            throw new InvalidOperationException($"Generating the synthetic dataset failed (exit code {trainer.ExitCode}): {trainer.StderrTail}");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Directory.Move(staging, target);
        Console.WriteLine($"Synthetic dataset ready in {target}.");
    }
}

/// <summary>Whether this node's worker can take runs (its datasets are in place); read by the readiness health check.</summary>
public sealed class WorkerReadiness
{
    private volatile string? _failure;
    private volatile bool _ready;

    public bool IsReady => _ready;
    public string? Failure => _failure;
    public void MarkReady() => _ready = true;
    public void MarkFailed(string reason) => _failure = reason;
}

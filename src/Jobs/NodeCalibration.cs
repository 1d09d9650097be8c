using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs;

/// <summary>A node's calibration: images/s of its hardware class's reference workload, and when it was measured.</summary>
public sealed record NodeCalibrationResult(double Score, DateTimeOffset MeasuredAt, string Workload);

/// <summary>
/// Measures this node's speed on a fixed reference workload (<see cref="Workload"/>: the same model, batch, precision and
/// steps on every node of a class, through the trainer's <c>bench train</c>) at start (a run picked up meanwhile shares
/// the machine with it for those seconds) and then every <see cref="WorkerOptions.CalibrationHours"/>, only while the node
/// runs nothing (a run would disturb the measure and be slowed by it). The score goes to the node row (heartbeat), to every result the node produces, and scales a calibrated
/// track's budget.
/// </summary>
public sealed class NodeCalibration(NodeState node, IOptions<WorkerOptions> options, TimeProvider clock, ILogger<NodeCalibration> logger) : BackgroundService
{
    private static readonly TimeSpan BusyRetry = TimeSpan.FromMinutes(1);

    /// <summary>The reference workload of a hardware class: <c>bench train</c> arguments, fixed so that scores compare across nodes.</summary>
    public static IReadOnlyList<string> Workload(string hardwareClass) => hardwareClass == NodeHardware.Gpu
        ? ["bench", "train", "--model", "deit_small", "--img", "224", "--batch", "128", "--steps", "50", "--warmup", "10", "--precision", "bf16", "--classes", "1000", "--device", "cuda"]
        : ["bench", "train", "--model", "deit_tiny", "--img", "32", "--batch", "32", "--steps", "20", "--warmup", "3", "--precision", "fp32", "--classes", "10", "--device", "cpu"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromHours(options.Value.CalibrationHours);
        if (interval <= TimeSpan.Zero) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            // The first measure runs at once (a calibrated run waits for it); later ones wait for an idle node.
            if (node.Calibration is not null && !node.IsIdle)
            {
                await Task.Delay(BusyRetry, clock, stoppingToken);
                continue;
            }
            try
            {
                var result = await MeasureAsync(stoppingToken);
                node.Calibrated(result);
                logger.LogInformation("Node {Node} calibrated: {Score:F1} images/s on the reference workload ({Workload})", node.Name, result.Score, result.Workload);
            }
            catch (CalibrationFailedException exception)
            {
                logger.LogError("Node {Node}: calibration failed: {Error}; trying again in {Retry}", node.Name, exception.Message, BusyRetry * 10);
                await Task.Delay(BusyRetry * 10, clock, stoppingToken);
                continue;
            }
            await Task.Delay(interval, clock, stoppingToken);
        }
    }

    public async Task<NodeCalibrationResult> MeasureAsync(CancellationToken cancellationToken)
    {
        var workload = Workload(node.Hardware.HardwareClass);
        var gpu = node.Hardware.HasGpus ? node.Hardware.GpuIndexes[0] : null;
        using var trainer = TrainerProcess.Start(options.Value, workload, gpu);
        string? last = null;
        await foreach (var line in trainer.ReadLinesAsync(cancellationToken))
            if (line.StartsWith('{')) last = line;
        await trainer.WaitForExitAsync(cancellationToken);
        if (trainer.ExitCode != 0 || last is null)
            throw new CalibrationFailedException($"the reference workload exited with code {trainer.ExitCode}: {trainer.StderrTail}".Trim());
        using var json = JsonDocument.Parse(last);
        var score = json.RootElement.GetProperty("images_per_second").GetDouble();
        return new NodeCalibrationResult(Math.Round(score, 2), clock.GetUtcNow(), string.Join(' ', workload.Skip(2)));
    }

    private sealed class CalibrationFailedException(string message) : Exception(message);
}

using System.Collections.Concurrent;

namespace Leaderboard.Jobs;

/// <summary>This worker node: its hardware, its free GPUs and the runs it is executing (reported by the heartbeat).</summary>
public sealed class NodeState(string name, NodeHardware hardware)
{
    private readonly ConcurrentQueue<string> _freeGpus = new(hardware.GpuIndexes);
    private readonly ConcurrentDictionary<long, byte> _runs = new();

    public string Name => name;
    public NodeHardware Hardware => hardware;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public long[] CurrentRunIds => [.. _runs.Keys.Order()];

    /// <summary>
    /// Takes a GPU for a run (CUDA_VISIBLE_DEVICES); null on a CPU node. Hangfire runs at most one job per GPU
    /// (WorkerCount = GPU count), so a GPU is always free here.
    /// </summary>
    public string? TakeGpu() =>
        !hardware.HasGpus ? null
        : _freeGpus.TryDequeue(out var gpu) ? gpu
        : throw new InvalidOperationException("No free GPU although the node runs at most one run per GPU.");

    public void ReturnGpu(string? gpu)
    {
        if (gpu is not null) _freeGpus.Enqueue(gpu);
    }

    private readonly TaskCompletionSource<NodeCalibrationResult> _firstCalibration = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The latest measurement of the reference workload; null before the first.</summary>
    public NodeCalibrationResult? Calibration { get; private set; }

    /// <summary>Completes with the node's first calibration (a calibrated-budget run waits for it).</summary>
    public Task<NodeCalibrationResult> FirstCalibration => _firstCalibration.Task;

    public void Calibrated(NodeCalibrationResult calibration)
    {
        Calibration = calibration;
        _firstCalibration.TrySetResult(calibration);
    }

    public bool IsIdle => _runs.IsEmpty;

    public void RunStarted(long runId) => _runs[runId] = 0;
    public void RunEnded(long runId) => _runs.TryRemove(runId, out _);
    public bool IsRunning(long runId) => _runs.ContainsKey(runId);
}

namespace Leaderboard.Data.Entities;

/// <summary>A worker node as it last reported itself: its hardware, versions and the runs it is executing.</summary>
public sealed class Node
{
    public required string Name { get; set; }
    /// <summary>The one hardware class (queue) it serves: "cpu", or "gpu" when nvidia-smi found GPUs.</summary>
    public required string HardwareClass { get; set; }
    /// <summary>Runs it executes at once: one per GPU (one on a CPU node).</summary>
    public int Slots { get; set; }
    public string? GpuModel { get; set; }
    public int GpuCount { get; set; }
    public int? GpuMemoryMib { get; set; }
    public string? DriverVersion { get; set; }
    public string? CudaVersion { get; set; }
    public double? GpuPowerLimitWatts { get; set; }
    public string? CpuModel { get; set; }
    public int CpuCores { get; set; }
    /// <summary>Images/s of the node's class's fixed reference workload (same model, batch, precision, steps), measured at start and periodically.</summary>
    public double? CalibrationScore { get; set; }
    public DateTimeOffset? CalibratedAt { get; set; }
    public required string PlatformVersion { get; set; }
    public required string RuntimeVersion { get; set; }
    public long[] CurrentRunIds { get; set; } = [];
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastSeen { get; set; }
}

namespace Leaderboard.Data.Entities;

/// <summary>The platform's own scoring of a run's checkpoint, with the provenance needed to reproduce it.</summary>
public sealed class Result
{
    public long RunId { get; set; }
    public Run Run { get; set; } = null!;
    /// <summary>Top-1 accuracy on the track's validation split, in percent.</summary>
    public double Top1 { get; set; }
    public double Top5 { get; set; }
    public int EvalImages { get; set; }
    public long Params { get; set; }
    /// <summary>GFLOPs per image at the evaluation resolution (a multiply-add counts as one FLOP).</summary>
    public double Gflops { get; set; }
    public int EvalImageSize { get; set; }
    /// <summary>Inference throughput measured on the worker's device.</summary>
    public double ImagesPerSecond { get; set; }
    /// <summary>Seconds of training the scored checkpoint had (its elapsed stamp).</summary>
    public double? TrainSeconds { get; set; }
    public required string Device { get; set; }
    public string? Library { get; set; }
    public required string RecipeHash { get; set; }
    public long Seed { get; set; }
    public string? CodeVersion { get; set; }

    // Provenance: where and under which rules the run was trained (the node's hardware fingerprint when it started).
    public string? GpuModel { get; set; }
    public string? GpuDriver { get; set; }
    public string? CudaVersion { get; set; }
    public double? GpuPowerLimitWatts { get; set; }
    public int? GpuMemoryMib { get; set; }
    public string? CpuModel { get; set; }
    public int? CpuCores { get; set; }
    public string? RulesVersion { get; set; }
    /// <summary>The track's budget mode the run was trained under (wall | cpu-time | calibrated).</summary>
    public string? BudgetMode { get; set; }
    /// <summary>The calibration score of the node that scored it (images/s of its class's reference workload).</summary>
    public double? CalibrationScore { get; set; }
    /// <summary>The leaderboard's hardware class filter: the GPU model, or the CPU model on a CPU node.</summary>
    public string? HardwareClass => GpuModel ?? CpuModel;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>A HydraViT run's sub-networks, each scored on its own (empty for other models).</summary>
    public List<ResultSubnetwork> Subnetworks { get; set; } = [];
}

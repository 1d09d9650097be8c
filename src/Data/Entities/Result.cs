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
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>A HydraViT run's sub-networks, each scored on its own (empty for other models).</summary>
    public List<ResultSubnetwork> Subnetworks { get; set; } = [];
}

namespace Leaderboard.Data.Entities;

/// <summary>
/// The score of one HydraViT sub-network (Haberer et al. 2024) of a run: the first <see cref="Heads"/> heads of the model,
/// evaluated by the platform like a model of its own. The run's <see cref="Result"/> holds the largest one's score; the
/// leaderboard lists every sub-network as an entry.
/// </summary>
public sealed class ResultSubnetwork
{
    public long RunId { get; set; }
    public int Heads { get; set; }
    public double Top1 { get; set; }
    public double Top5 { get; set; }
    public long Params { get; set; }
    /// <summary>GFLOPs per image at the evaluation resolution (a multiply-add counts as one FLOP).</summary>
    public double Gflops { get; set; }
    public double ImagesPerSecond { get; set; }
}

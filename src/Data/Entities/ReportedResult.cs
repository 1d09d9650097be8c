namespace Leaderboard.Data.Entities;

/// <summary>
/// A published result shown next to a track's ranking for reference (e.g. the benchmark paper's Table 1). Not a run of
/// this platform: never ranked.
/// </summary>
public sealed class ReportedResult
{
    public int Id { get; set; }
    public int TrackId { get; set; }
    public Track Track { get; set; } = null!;
    public required string Name { get; set; }
    /// <summary>Top-1 accuracy on ImageNet-1k validation as reported, in percent.</summary>
    public double Top1 { get; set; }
    public double? Top5 { get; set; }
    public long? Params { get; set; }
    public double? Gflops { get; set; }
    /// <summary>The compute it was reported with, e.g. "24 h on one 16 GB GPU".</summary>
    public required string Setting { get; set; }
    /// <summary>False for context rows trained beyond the track's rules (e.g. the 72 h, 4-GPU upper bound).</summary>
    public bool WithinTrackRules { get; set; }
    public required string Source { get; set; }
    public string? SourceUrl { get; set; }
    /// <summary>Display order among the track's reported rows.</summary>
    public int Position { get; set; }
}

namespace Leaderboard.Data.Entities;

/// <summary>One progress line of a run's trainer (the time series shown live and kept for later).</summary>
public sealed class RunMetric
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public required string Event { get; set; }
    public double Elapsed { get; set; }
    public long? Step { get; set; }
    public double? Epoch { get; set; }
    public int? ImageSize { get; set; }
    public double? Loss { get; set; }
    public double? Lr { get; set; }
    public double? ImagesPerSecond { get; set; }
    public double? DataWait { get; set; }
    public double? TrainTop1 { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

namespace Leaderboard.Data.Entities;

/// <summary>
/// One line the trainer wrote to stdout or stderr. Kept in the database because the site and the worker running the
/// run may be on different hosts; bounded per run (the oldest lines are dropped, see the worker's MaxLogLines).
/// </summary>
public sealed class RunLogLine
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Attempt { get; set; }
    /// <summary>stdout | stderr</summary>
    public required string Stream { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

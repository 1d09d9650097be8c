using Leaderboard.Training.Progress;

namespace Leaderboard.Jobs;

/// <summary>What a trainer process produced since the last flush: its progress events and its raw output lines.</summary>
public sealed class RunOutput
{
    private readonly object _lock = new();
    private List<ProgressEvent> _events = [];
    private List<(string Stream, string Text)> _lines = [];

    public void AddLine(string stream, string text)
    {
        lock (_lock) _lines.Add((stream, text));
    }

    public void AddProgress(ProgressEvent progress)
    {
        lock (_lock) _events.Add(progress);
    }

    /// <summary>Takes everything gathered so far.</summary>
    public (List<ProgressEvent> Events, List<(string Stream, string Text)> Lines) Drain()
    {
        lock (_lock)
        {
            var drained = (_events, _lines);
            _events = [];
            _lines = [];
            return drained;
        }
    }
}

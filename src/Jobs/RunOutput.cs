using Leaderboard.Training.Progress;

namespace Leaderboard.Jobs;

/// <summary>
/// What a trainer process produced since the last flush: its progress events and its raw output lines. Bounded, so that
/// a long database outage cannot exhaust the worker's memory: past the cap the oldest entries are dropped (and counted),
/// the newest — the run's latest state — always kept.
/// </summary>
public sealed class RunOutput(int maxEvents = RunOutput.DefaultMaxEvents, int maxLines = RunOutput.DefaultMaxLines)
{
    public const int DefaultMaxEvents = 20_000;
    public const int DefaultMaxLines = 20_000;

    private readonly Lock _lock = new();
    private Queue<ProgressEvent> _events = new();
    private Queue<(string Stream, string Text)> _lines = new();
    private int _droppedEvents;
    private int _droppedLines;

    public void AddLine(string stream, string text)
    {
        lock (_lock)
        {
            _lines.Enqueue((stream, text));
            if (_lines.Count > maxLines)
            {
                _lines.Dequeue();
                _droppedLines++;
            }
        }
    }

    public void AddProgress(ProgressEvent progress)
    {
        lock (_lock)
        {
            _events.Enqueue(progress);
            if (_events.Count > maxEvents)
            {
                _events.Dequeue();
                _droppedEvents++;
            }
        }
    }

    /// <summary>Takes everything gathered so far; a note on what was dropped, if anything, comes first among the lines.</summary>
    public (List<ProgressEvent> Events, List<(string Stream, string Text)> Lines) Drain()
    {
        lock (_lock)
        {
            var events = _events.ToList();
            var lines = new List<(string Stream, string Text)>(_lines.Count + 1);
            if (_droppedEvents + _droppedLines > 0)
                lines.Add(("worker", $"The database was unreachable for a while: the worker dropped the oldest {_droppedEvents} progress rows and {_droppedLines} output lines it could not store in time (the run itself went on)."));
            lines.AddRange(_lines);
            _events = new();
            _lines = new();
            _droppedEvents = 0;
            _droppedLines = 0;
            return (events, lines);
        }
    }
}

using Leaderboard.Data.Entities;
using Leaderboard.Web.Components.Charts;

namespace Leaderboard.Web.Features.Runs;

/// <summary>
/// What the run page shows while a run goes on, folded from its metric rows and log lines: the latest values of each
/// series, the curves (loss, held-out top-1, images/s, image size over elapsed time; each thinned to at most
/// <see cref="MaxPoints"/> points, so a 24 h run stays light to re-render) and the log tail.
/// </summary>
public sealed class RunProgressState
{
    public const int MaxPoints = 800;

    private readonly List<double[]> _loss = [];
    private readonly List<double[]> _heldOutTop1 = [];
    private readonly List<double[]> _imagesPerSecond = [];
    private readonly List<double[]> _imageSize = [];
    private readonly List<RunLogLine> _log = [];
    private readonly List<RunMetric> _preflight = [];

    public RunProgressState(Run run, IEnumerable<RunMetric> metrics, IEnumerable<RunLogLine> log)
    {
        Run = run;
        Apply(run, metrics, log);
    }

    public Run Run { get; private set; }
    public double? Elapsed { get; private set; }
    public long? Step { get; private set; }
    public double? Epoch { get; private set; }
    public int? ImageSize { get; private set; }
    public double? Loss { get; private set; }
    public double? Lr { get; private set; }
    public double? ImagesPerSecond { get; private set; }
    public double? DataWait { get; private set; }
    /// <summary>Top-1 on the slice of the training set the trainer holds back (its "eval" events).</summary>
    public double? HeldOutTop1 { get; private set; }
    /// <summary>The trainer's start message (device and model).</summary>
    public string? StartMessage { get; private set; }
    public bool HasMetrics { get; private set; }
    public IReadOnlyList<RunLogLine> LogTail => _log;
    /// <summary>The pre-flight check's rows (event <c>preflight</c>): one per measured image size, then the verdict.</summary>
    public IReadOnlyList<RunMetric> Preflight => _preflight;
    public long LastLogId => _log.Count == 0 ? 0 : _log[^1].Id;

    public ChartSpec LossChart => Curve("Loss", _loss, "#2563eb");
    public ChartSpec HeldOutTop1Chart => Curve("Held-out top-1 %", _heldOutTop1, "#15803d");
    public ChartSpec ImagesPerSecondChart => Curve("Images/s", _imagesPerSecond, "#b45309");
    public ChartSpec ImageSizeChart => Curve("Image size (px)", _imageSize, "#7c3aed", stepped: true);

    /// <summary>Fraction of the budget used, 0–1, while the run has started.</summary>
    public double? BudgetFraction => Elapsed is double e && Run.Submission.Track.BudgetSeconds > 0
        ? Math.Clamp(e / Run.Submission.Track.BudgetSeconds, 0, 1) : null;

    public void Apply(RunUpdate update) => Apply(update.Run, update.Metrics, update.LogLines);

    public void Apply(Run run, IEnumerable<RunMetric> metrics, IEnumerable<RunLogLine> log)
    {
        Run = run;
        foreach (var m in metrics)
        {
            // The pre-flight's rows are measured before the budget starts: the timeline shows them, the curves do not.
            if (m.Event == "preflight")
            {
                _preflight.Add(m);
                continue;
            }
            HasMetrics = true;
            Elapsed = Math.Max(Elapsed ?? 0, m.Elapsed);
            Step = m.Step ?? Step;
            Epoch = m.Epoch ?? Epoch;
            Lr = m.Lr ?? Lr;
            DataWait = m.DataWait ?? DataWait;
            if (m.Event == "start" && m.Message is not null) StartMessage = m.Message;
            if (m.ImageSize is int size)
            {
                if (ImageSize != size || _imageSize.Count == 0) Add(_imageSize, m.Elapsed, size);
                ImageSize = size;
            }
            if (m.Loss is double loss && double.IsFinite(loss))
            {
                Loss = loss;
                Add(_loss, m.Elapsed, loss);
            }
            if (m.ImagesPerSecond is double rate)
            {
                ImagesPerSecond = rate;
                Add(_imagesPerSecond, m.Elapsed, rate);
            }
            if (m.TrainTop1 is double top1)
            {
                HeldOutTop1 = top1;
                Add(_heldOutTop1, m.Elapsed, top1);
            }
        }
        _log.AddRange(log);
        if (_log.Count > RunWatcher.LogTailLines) _log.RemoveRange(0, _log.Count - RunWatcher.LogTailLines);
        // The run row carries the latest progress too (it may be ahead of the metric rows read so far).
        Elapsed = Max(Elapsed, run.Elapsed);
        Step = Max(Step, run.Step);
        Epoch = Max(Epoch, run.Epoch);
        ImageSize ??= run.ImageSize;
        Loss ??= run.Loss;
        ImagesPerSecond ??= run.ImagesPerSecond;
    }

    private static ChartSpec Curve(string title, List<double[]> points, string color, bool stepped = false) =>
        new("elapsed (s)", title, [new ChartSeries(title, [.. points], color, Line: true, Stepped: stepped)]);

    private static void Add(List<double[]> series, double x, double y)
    {
        series.Add([Math.Round(x, 2), Math.Round(y, 4)]);
        if (series.Count <= MaxPoints) return;
        // Thin to every other point, keeping the last one.
        var last = series[^1];
        for (int i = series.Count - 1; i >= 0; i--)
            if (i % 2 == 1) series.RemoveAt(i);
        if (!ReferenceEquals(series[^1], last)) series.Add(last);
    }

    private static T? Max<T>(T? a, T? b) where T : struct, IComparable<T> =>
        a is T x && b is T y ? (x.CompareTo(y) >= 0 ? x : y) : a ?? b;
}

namespace Leaderboard.Web.Components.Charts;

/// <summary>One series of a chart: its points (x, y) and how they are drawn.</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<double[]> Points, string Color, bool Line = false, bool Stepped = false);

/// <summary>A chart as wwwroot/js/charts.js draws it: axis titles and series, all data (no code).</summary>
public sealed record ChartSpec(string XTitle, string YTitle, IReadOnlyList<ChartSeries> Series, bool XLog = false)
{
    public bool IsEmpty => Series.All(s => s.Points.Count == 0);

    /// <summary>Identifies what is drawn, so a re-render with the same data does not redraw.</summary>
    public int DataVersion => Series.Aggregate(Series.Count, (hash, s) => HashCode.Combine(hash, s.Label, s.Points.Count,
        s.Points.Count == 0 ? 0 : s.Points[^1][0], s.Points.Count == 0 ? 0 : s.Points[^1][1]));
}

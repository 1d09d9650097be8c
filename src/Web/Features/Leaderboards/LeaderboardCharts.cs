using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Components.Charts;

namespace Leaderboard.Web.Features.Leaderboards;

/// <summary>The track page's charts, built from the ranked entries (and the reported reference rows, drawn apart).</summary>
public static class LeaderboardCharts
{
    /// <summary>Entries the charts plot: the best ranked ones under the grid's filters.</summary>
    public const int PlottedEntries = 500;
    /// <summary>Runs on the accuracy-vs-training-time chart.</summary>
    public const int TopRuns = 20;

    private const string RunColor = "#2563eb";
    private const string FrontierColor = "#b91c1c";
    private const string ReportedColor = "#7c3aed";

    public static ChartSpec AccuracyVsGflops(IReadOnlyList<LeaderboardEntry> entries, IReadOnlyList<ReportedResult> reported) =>
        AccuracyVsCost("GFLOPs per image", entries.Select(e => new[] { e.Gflops, e.Top1 }),
            reported.Where(r => r.Gflops is > 0).Select(r => new[] { r.Gflops!.Value, r.Top1 }));

    public static ChartSpec AccuracyVsParams(IReadOnlyList<LeaderboardEntry> entries, IReadOnlyList<ReportedResult> reported) =>
        AccuracyVsCost("Parameters (M)", entries.Select(e => new[] { e.Params / 1e6, e.Top1 }),
            reported.Where(r => r.Params is > 0).Select(r => new[] { r.Params!.Value / 1e6, r.Top1 }));

    /// <summary>Top-1 against the training time the platform measured, for the <see cref="TopRuns"/> best entries.</summary>
    public static ChartSpec AccuracyVsTrainingTime(IReadOnlyList<LeaderboardEntry> entries) =>
        new("training time (s)", "top-1 %",
        [
            new ChartSeries($"Top {TopRuns} runs",
                [.. entries.OrderBy(e => e.Rank).Where(e => e.TrainSeconds is not null).Take(TopRuns).Select(e => new[] { e.TrainSeconds!.Value, e.Top1 })],
                RunColor),
        ]);

    private static ChartSpec AccuracyVsCost(string xTitle, IEnumerable<double[]> runs, IEnumerable<double[]> reported)
    {
        var points = runs.Where(p => p[0] > 0).ToList();
        var series = new List<ChartSeries>
        {
            new("Runs", points, RunColor),
            new("Pareto frontier", ParetoFrontier(points), FrontierColor, Line: true, Stepped: true),
        };
        var reportedPoints = reported.ToList();
        if (reportedPoints.Count > 0) series.Add(new ChartSeries("Reported (not ranked)", reportedPoints, ReportedColor));
        return new ChartSpec(xTitle, "top-1 %", series, XLog: true);
    }

    /// <summary>
    /// The points no other point beats on both counts (lower cost x, higher accuracy y), by increasing cost: each is more
    /// accurate than every cheaper one. Equal cost keeps only the most accurate.
    /// </summary>
    public static IReadOnlyList<double[]> ParetoFrontier(IEnumerable<double[]> points)
    {
        var frontier = new List<double[]>();
        foreach (var point in points.OrderBy(p => p[0]).ThenByDescending(p => p[1]))
        {
            if (frontier.Count > 0 && point[1] <= frontier[^1][1]) continue;
            frontier.Add(point);
        }
        return frontier;
    }
}

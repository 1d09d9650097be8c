using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Features.Leaderboards;

namespace Leaderboard.Web.Tests.Features.Leaderboards;

public sealed class LeaderboardChartsTests
{
    [Fact]
    public void The_pareto_frontier_keeps_each_point_more_accurate_than_every_cheaper_one()
    {
        double[][] points = [[1, 40], [2, 35], [2, 45], [3, 44], [4, 60], [0.5, 20], [4, 50]];

        var frontier = LeaderboardCharts.ParetoFrontier(points);

        Assert.Equal([[0.5, 20], [1, 40], [2, 45], [4, 60]], frontier);
    }

    [Fact]
    public void Accuracy_against_cost_plots_runs_their_frontier_and_the_reported_rows_apart()
    {
        LeaderboardEntry[] entries = [Entry(1, top1: 70, gflops: 4.6, parameters: 22_000_000), Entry(2, top1: 60, gflops: 1.3, parameters: 5_700_000),
            Entry(3, top1: 50, gflops: 2.0, parameters: 9_000_000)];
        ReportedResult[] reported = [new() { Name = "DeiT-S", Top1 = 79.8, Gflops = 4.6, Params = 22_000_000, Setting = "paper", Source = "paper" }];

        var gflops = LeaderboardCharts.AccuracyVsGflops(entries, reported);
        var parameters = LeaderboardCharts.AccuracyVsParams(entries, reported);

        Assert.Equal(["Runs", "Pareto frontier", "Reported (not ranked)"], gflops.Series.Select(s => s.Label));
        Assert.Equal([[1.3, 60], [4.6, 70]], gflops.Series[1].Points);
        Assert.Equal([[4.6, 79.8]], gflops.Series[2].Points);
        Assert.Equal([[5.7, 60], [22, 70]], parameters.Series[1].Points);
        Assert.True(gflops.XLog);
    }

    [Fact]
    public void Accuracy_against_training_time_plots_only_the_top_runs()
    {
        var entries = Enumerable.Range(1, 30).Select(rank => Entry(rank, top1: 80 - rank, trainSeconds: 100 + rank)).ToList();

        var spec = LeaderboardCharts.AccuracyVsTrainingTime(entries);

        var points = Assert.Single(spec.Series).Points;
        Assert.Equal(LeaderboardCharts.TopRuns, points.Count);
        Assert.Equal([101, 79], points[0]);
    }

    private static LeaderboardEntry Entry(int rank, double top1, double gflops = 1, long parameters = 1_000_000, double trainSeconds = 100) =>
        new(rank, rank, rank, $"entry {rank}", null, top1, top1, parameters, gflops, 900, "cpu", "hash", DateTimeOffset.UnixEpoch, trainSeconds, "tiny", []);
}

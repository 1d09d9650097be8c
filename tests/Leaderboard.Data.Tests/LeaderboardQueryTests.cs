using Leaderboard.Data.Entities;
using Leaderboard.TestUtilities;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Leaderboard.Data.Tests;

public sealed class LeaderboardQueryTests : RankingDatabase
{
    [Fact]
    public async Task Ranks_each_submission_by_the_mean_of_its_completed_seed_runs()
    {
        Add("weak", (RunStatus.Completed, 30.0));
        Add("strong", (RunStatus.Completed, 40.0), (RunStatus.Completed, 55.0));
        Add("failed", (RunStatus.Failed, 0.0));
        await Db.SaveChangesAsync();

        var page = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery());

        Assert.Collection(page.Entries,
            e => Assert.Equal((1, "strong", 47.5, 2), (e.Rank, e.Name, e.Top1, e.Seeds)),
            e => Assert.Equal((2, "weak", 30.0, 1), (e.Rank, e.Name, e.Top1, e.Seeds)));
        Assert.Equal((2, 2), (page.Total, page.RankedTotal));
    }

    [Fact]
    public async Task Equal_scores_share_a_rank_and_the_earlier_submission_is_listed_first()
    {
        Add("first", (RunStatus.Completed, 50.0));
        Add("tie-early", (RunStatus.Completed, 40.0));
        Add("tie-late", (RunStatus.Completed, 40.0));
        Add("last", (RunStatus.Completed, 30.0));
        await Db.SaveChangesAsync();

        var page = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery());

        Assert.Equal([(1, "first"), (2, "tie-early"), (2, "tie-late"), (4, "last")], page.Entries.Select(e => (e.Rank, e.Name)));
    }

    [Fact]
    public async Task Pages_carry_the_totals_and_a_page_past_the_end_is_empty()
    {
        for (var i = 0; i < 7; i++) Add($"s{i}", (RunStatus.Completed, 10.0 + i));
        await Db.SaveChangesAsync();

        var second = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Page: 2, PageSize: 3));
        var beyond = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Page: 4, PageSize: 3));

        Assert.Equal([(4, "s3"), (5, "s2"), (6, "s1")], second.Entries.Select(e => (e.Rank, e.Name)));
        Assert.Equal((7, 7), (second.Total, second.RankedTotal));
        Assert.Empty(beyond.Entries);
        Assert.Equal((7, 7), (beyond.Total, beyond.RankedTotal));
    }

    [Fact]
    public async Task Sorts_by_a_metric_either_way_with_rank_breaking_ties()
    {
        Add("big", (RunStatus.Completed, 50.0), parameters: 9_000);
        Add("small-good", (RunStatus.Completed, 45.0), parameters: 1_000);
        Add("small-weak", (RunStatus.Completed, 20.0), parameters: 1_000);
        Add("mid", (RunStatus.Completed, 30.0), parameters: 5_000);
        await Db.SaveChangesAsync();

        var ascending = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Sort: LeaderboardSort.Params));
        var descending = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Sort: LeaderboardSort.Params, Descending: true));

        Assert.Equal(["small-good", "small-weak", "mid", "big"], ascending.Entries.Select(e => e.Name));
        Assert.Equal(["big", "mid", "small-good", "small-weak"], descending.Entries.Select(e => e.Name));
        Assert.Equal([1, 3, 2, 4], descending.Entries.Select(e => e.Rank));
    }

    [Fact]
    public async Task Filters_by_family_components_and_device_keep_the_track_rank()
    {
        Add("plain-tiny", (RunStatus.Completed, 60.0));
        Add("small-locality-curriculum", (RunStatus.Completed, 50.0),
            canonical: """{"model":{"variant":"small","ffn":"locality"},"data":{"curriculum":{"start":32,"step":32,"every":0.2,"unit":"budget"},"mixup":0}}""");
        Add("tiny-locality", (RunStatus.Completed, 40.0), canonical: """{"model":{"variant":"tiny","ffn":"locality","tokenizer":"spt","attention":"lsa"}}""");
        Add("gpu-run", (RunStatus.Completed, 30.0), device: "cuda");
        await Db.SaveChangesAsync();

        var locality = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Components: ["locality"]));
        var localityAndCurriculum = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Components: ["curriculum", "locality"]));
        var small = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Families: ["small"]));
        var cuda = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Device: "cuda"));

        Assert.Equal([(2, "small-locality-curriculum"), (3, "tiny-locality")], locality.Entries.Select(e => (e.Rank, e.Name)));
        Assert.Equal((2, 4), (locality.Total, locality.RankedTotal));
        Assert.Equal(["small-locality-curriculum"], localityAndCurriculum.Entries.Select(e => e.Name));
        Assert.Equal(["small-locality-curriculum"], small.Entries.Select(e => e.Name));
        Assert.Equal([(4, "gpu-run")], cuda.Entries.Select(e => (e.Rank, e.Name)));
        var tiny = locality.Entries.Single(e => e.Name == "tiny-locality");
        Assert.Equal("tiny", tiny.Family);
        Assert.Equal(["locality", "spt", "lsa"], tiny.Components);
    }

    [Fact]
    public async Task A_new_result_bumps_the_track_version_and_notifies_listeners()
    {
        await using var listener = new NpgsqlConnection(ConnectionString);
        await listener.OpenAsync();
        var payloads = new List<string>();
        listener.Notification += (_, e) => payloads.Add(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {LeaderboardTriggers.Channel}", listener)) await listen.ExecuteNonQueryAsync();
        var before = (await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery())).Version;

        Add("new", (RunStatus.Completed, 30.0));
        await Db.SaveChangesAsync();
        await listener.WaitAsync(TimeSpan.FromSeconds(10));

        var after = (await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery())).Version;
        Assert.True(after > before);
        Assert.Contains($"{Track.Id}:{after}", payloads);
    }

    [Fact]
    public async Task Reported_results_are_seeded_once_and_never_ranked()
    {
        await Db.MigrateAndSeedAsync(TimeProvider.System);
        var track = await Db.Tracks.SingleAsync(t => t.Slug == TrackSeeder.ImageNet24HourTrackSlug);

        var reported = await Db.GetReportedResultsAsync(track.Id);
        var ranking = await Db.GetLeaderboardAsync(track.Id, new LeaderboardQuery());

        Assert.Equal([53.98, 43.05, 27.89, 79.9], reported.Select(r => r.Top1));
        Assert.Equal([true, true, true, false], reported.Select(r => r.WithinTrackRules));
        Assert.All(reported, r => Assert.Contains("Irandoust et al. 2022", r.Source));
        Assert.Empty(ranking.Entries);
    }

    [Fact]
    public async Task A_hydravit_run_is_ranked_once_per_subnetwork_with_its_own_params_and_gflops()
    {
        Add("plain", (RunStatus.Completed, 50.0));
        Add("hydra", (RunStatus.Completed, 60.0));
        await Db.SaveChangesAsync();
        var hydra = await Db.Results.SingleAsync(r => r.RecipeHash == "hydra");
        Db.ResultSubnetworks.AddRange(
            new ResultSubnetwork { RunId = hydra.RunId, Heads = 1, Top1 = 40, Top5 = 70, Params = 100, Gflops = 0.01, ImagesPerSecond = 900 },
            new ResultSubnetwork { RunId = hydra.RunId, Heads = 2, Top1 = 55, Top5 = 80, Params = 400, Gflops = 0.04, ImagesPerSecond = 400 },
            new ResultSubnetwork { RunId = hydra.RunId, Heads = 3, Top1 = 60, Top5 = 85, Params = 900, Gflops = 0.09, ImagesPerSecond = 200 });
        await Db.SaveChangesAsync();

        var page = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery());

        Assert.Equal([(1, "hydra", 3, 60.0, 900L, 0.09), (2, "hydra", 2, 55.0, 400L, 0.04), (3, "plain", null, 50.0, 1000L, 0.1), (4, "hydra", 1, 40.0, 100L, 0.01)],
            page.Entries.Select(e => (e.Rank, e.Name, e.Heads, e.Top1, e.Params, e.Gflops)));
        Assert.Equal((4, 4), (page.Total, page.RankedTotal));
        var byParams = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(Sort: LeaderboardSort.Params));
        Assert.Equal([1, 2, 3, null], byParams.Entries.Select(e => e.Heads));
    }

    [Fact]
    public async Task Rows_trained_under_earlier_rules_are_marked_and_can_be_left_out_keeping_the_track_rank()
    {
        // The synthetic track runs rules v2 (CPU-second budgets); v1 rows trained on wall seconds.
        Add("v1-row", (RunStatus.Completed, 60.0));
        Add("v2-row", (RunStatus.Completed, 50.0));
        Add("mixed-row", (RunStatus.Completed, 45.0), (RunStatus.Completed, 43.0));
        Add("unrecorded-row", (RunStatus.Completed, 40.0));
        await Db.SaveChangesAsync();
        await Db.Results.Where(r => r.RecipeHash == "v1-row" || (r.RecipeHash == "mixed-row" && r.Seed == 1)).ExecuteUpdateAsync(u => u.SetProperty(r => r.RulesVersion, "1"));
        await Db.Results.Where(r => r.RecipeHash == "v2-row" || (r.RecipeHash == "mixed-row" && r.Seed == 0)).ExecuteUpdateAsync(u => u.SetProperty(r => r.RulesVersion, "2"));

        var all = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery());
        var current = await Db.GetLeaderboardAsync(Track.Id, new LeaderboardQuery(CurrentRulesOnly: true));

        Assert.Equal("2", Track.RulesVersion);
        Assert.Equal([(1, "v1-row", "1", true), (2, "v2-row", "2", false), (3, "mixed-row", "2", true), (4, "unrecorded-row", null, false)],
            all.Entries.Select(e => (e.Rank, e.Name, e.RulesVersion, e.OtherRules)));
        Assert.Equal([(2, "v2-row"), (4, "unrecorded-row")], current.Entries.Select(e => (e.Rank, e.Name)));
        Assert.Equal((2, 4), (current.Total, current.RankedTotal));
    }

    private void Add(string name, (RunStatus Status, double Top1) run, (RunStatus Status, double Top1)? second = null, long parameters = 1000,
        string device = "cpu", string canonical = "{}")
    {
        var runs = second is { } s ? new[] { run, s } : [run];
        AddSubmission(name, runs.Select((r, seed) => ((long)seed, r.Status, r.Top1, (string?)null)), parameters, device, canonical);
    }
}

using Bunit;
using Leaderboard.Data;
using Leaderboard.Web.Features.Leaderboards;
using Microsoft.AspNetCore.Components;

namespace Leaderboard.Web.Tests.Features.Leaderboards;

/// <summary>The grid renders the page it is given and asks for another query (sort, page); the data comes from its parent.</summary>
public sealed class RankingGridTests : BunitContext
{
    private LeaderboardQuery? _asked;

    private IRenderedComponent<RankingGrid> Render(LeaderboardQuery query, int total = 120) =>
        Render<RankingGrid>(p => p
            .Add(g => g.Page, new RankingPage([Entry(1, "first"), Entry(2, "second")], total, total, 1))
            .Add(g => g.Query, query)
            .Add(g => g.LinkFor, q => "/tracks/t" + new LeaderboardRequest(q, null).ToQueryString())
            .Add(g => g.QueryChanged, EventCallback.Factory.Create<LeaderboardQuery>(this, q => _asked = q)));

    [Fact]
    public void Rows_show_each_entry_with_its_rank_and_link()
    {
        var grid = Render(new LeaderboardQuery());

        Assert.Equal(["1", "2"], grid.FindAll("td.rank").Select(td => td.TextContent));
        Assert.Equal("/submissions/101", grid.Find("tr[data-rank='1'] td.name a").GetAttribute("href"));
        Assert.Equal("ascending", grid.Find("th[aria-sort]").GetAttribute("aria-sort"));
    }

    [Theory]
    [InlineData("top1", LeaderboardSort.Top1, true)]
    [InlineData("params", LeaderboardSort.Params, false)]
    [InlineData("gflops", LeaderboardSort.Gflops, false)]
    [InlineData("imagesPerSecond", LeaderboardSort.ImagesPerSecond, true)]
    [InlineData("trainSeconds", LeaderboardSort.TrainSeconds, false)]
    public void A_metric_header_sorts_best_or_cheapest_first_then_the_other_way(string column, LeaderboardSort sort, bool descendingFirst)
    {
        var grid = Render(new LeaderboardQuery(Page: 3));

        var header = grid.Find($"th a[data-sort='{column}']");
        Assert.Equal($"/tracks/t?sort={column}", header.GetAttribute("href"));
        header.Click();
        Assert.Equal(new LeaderboardQuery(Page: 1, Sort: sort, Descending: descendingFirst), _asked);

        grid = Render(_asked!);
        grid.Find($"th a[data-sort='{column}']").Click();
        Assert.Equal(!descendingFirst, _asked!.Descending);
        Assert.Equal(descendingFirst ? "descending" : "ascending", Render(_asked with { Descending = descendingFirst }).Find("th[aria-sort]").GetAttribute("aria-sort"));
    }

    [Fact]
    public void The_pager_asks_for_the_next_and_previous_pages_and_says_where_it_is()
    {
        var grid = Render(new LeaderboardQuery(Page: 2, Families: ["tiny"]), total: 120);

        Assert.Contains("Page 2 of 3", grid.Find(".pager").TextContent);
        grid.Find(".pager a[rel=next]").Click();
        Assert.Equal(3, _asked!.Page);
        Assert.Equal(["tiny"], _asked.Families);
        grid.Find(".pager a[rel=prev]").Click();
        Assert.Equal(1, _asked!.Page);
        Assert.Equal("/tracks/t?family=tiny&page=3", grid.Find(".pager a[rel=last]").GetAttribute("href"));
    }

    [Fact]
    public void Rows_show_the_mean_with_its_interval_n_the_gap_test_and_the_rerun_verdict()
    {
        LeaderboardEntry[] entries =
        [
            Entry(1, "three seeds") with { Top1 = 62, Seeds = 3, SingleSeed = false, Top1Ci95 = 4.968,
                Verification = new RowVerification(9, 1, 63.5, Verified: true, "v2", "v1", OtherCodeVersion: true) },
            Entry(2, "close behind") with { Seeds = 3, SingleSeed = false, Top1Ci95 = 3, GapToAboveSignificant = false, GapPValue = 0.4 },
            Entry(3, "far behind") with { Seeds = 2, SingleSeed = false, Top1Ci95 = 1, GapToAboveSignificant = true, GapPValue = 0.001,
                Verification = new RowVerification(10, 0, 20, Verified: false, "v1", "v1", OtherCodeVersion: false) },
            Entry(4, "one seed"),
        ];
        var grid = Render<RankingGrid>(p => p
            .Add(g => g.Page, new RankingPage(entries, 4, 4, 1))
            .Add(g => g.Query, new LeaderboardQuery())
            .Add(g => g.LinkFor, q => "/tracks/t"));

        Assert.Equal("62.00 ± 4.97", grid.Find("tr[data-rank='1'] td.top1").TextContent.Trim());
        Assert.Equal(["3", "3", "2", "1 seed"], grid.FindAll("td.seeds").Select(td => td.TextContent.Trim()));
        Assert.Empty(grid.FindAll("tr[data-rank='4'] [data-ci]"));
        Assert.NotNull(grid.Find("tr[data-rank='4'] [data-single-seed]"));
        Assert.Equal(["first", "not-significant", "significant", "untested"], grid.FindAll("td.gap").Select(td => td.GetAttribute("data-gap")));
        Assert.Contains("p = 0.001", grid.Find("tr[data-rank='3'] td.gap").GetAttribute("title"));
        Assert.Equal(["verified", "none", "not-reproduced", "none"], grid.FindAll("td.verification").Select(td => td.GetAttribute("data-verification")));
        Assert.Equal("✓ verified (other code version)", grid.Find("tr[data-rank='1'] td.verification").TextContent.Trim());
        Assert.Equal("✗ not reproduced", grid.Find("tr[data-rank='3'] td.verification").TextContent.Trim());
    }

    [Fact]
    public void A_row_trained_under_earlier_rules_carries_a_mark_that_says_which()
    {
        LeaderboardEntry[] entries = [Entry(1, "before the change") with { RulesVersion = "1", OtherRules = true }, Entry(2, "after") with { RulesVersion = "2" }];
        var grid = Render<RankingGrid>(p => p
            .Add(g => g.Page, new RankingPage(entries, 2, 2, 1))
            .Add(g => g.Query, new LeaderboardQuery())
            .Add(g => g.LinkFor, q => "/tracks/t"));

        var mark = grid.Find("tr[data-rank='1'] td.name [data-other-rules]");
        Assert.Equal("older rules", mark.TextContent.Trim());
        Assert.StartsWith("Trained under rules v1 ", mark.GetAttribute("title"));
        Assert.Empty(grid.FindAll("tr[data-rank='2'] [data-other-rules]"));
    }

    private static LeaderboardEntry Entry(int rank, string name) => new(rank, 100 + rank, 200 + rank, name, "owner", 60 - rank, 80, 5_700_000, 1.26, 900,
        "cpu", new string('a', 64), DateTimeOffset.UnixEpoch, 110, "tiny", []);
}

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

    private static LeaderboardEntry Entry(int rank, string name) => new(rank, 100 + rank, 200 + rank, name, "owner", 60 - rank, 80, 5_700_000, 1.26, 900,
        "cpu", new string('a', 64), DateTimeOffset.UnixEpoch, 110, "tiny", []);
}

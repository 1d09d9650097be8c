using Bunit;
using Leaderboard.Data;
using Leaderboard.Web.Features.Leaderboards;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Features.Leaderboards;

/// <summary>The track page over the real ranking query: paging, sorting and filters in the database, the query kept in the address.</summary>
[Collection(ComponentCollection.Name)]
public sealed class LeaderboardPageTests : PlatformComponentTest
{
    /// <summary>wwwroot/js/charts.js as the page imports it (draws charts, keeps the permalink).</summary>
    private readonly BunitJSModuleInterop _charts;

    public LeaderboardPageTests(ComponentPlatformFixture fixture) : base(fixture)
    {
        _charts = JSInterop.SetupModule("/js/charts.js");
        _charts.Mode = JSRuntimeMode.Loose;
    }

    private const string Locality = "model:\n  variant: small\n  ffn: locality\n";

    private async Task<string> SeedAsync()
    {
        var track = await NewTrackAsync("grid");
        await WithDbAsync(async db =>
        {
            // 60 entries: top-1 from 89 down; every third a small locality model by "carol", the rest tiny ones by "dave".
            for (var i = 1; i <= 60; i++)
            {
                var locality = i % 3 == 0;
                db.Submissions.Add(CompletedSubmission(track.Id, $"entry {i:00}", 90 - i, locality ? Locality : "model:\n  variant: tiny\n",
                    owner: locality ? "carol" : "dave", parameters: 1_000_000 + (i * 7919 % 60) * 100_000));
            }
            return await db.SaveChangesAsync();
        });
        return track.Slug;
    }

    private IRenderedComponent<LeaderboardPage> RenderAt(string slug, string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/tracks/{slug}{query}");
        return Render<LeaderboardPage>(p => p.Add(x => x.Slug, slug));
    }

    [Fact]
    public async Task Pages_through_the_ranking_fifty_rows_at_a_time()
    {
        var slug = await SeedAsync();
        var page = RenderAt(slug);

        page.WaitForAssertion(() => Assert.Equal(50, page.FindAll("table.ranking tbody tr").Count));
        Assert.Contains("Page 1 of 2", page.Find(".pager").TextContent);

        page.Find(".pager a[rel=next]").Click();

        page.WaitForAssertion(() => Assert.Equal(Enumerable.Range(51, 10).Select(r => r.ToString()), page.FindAll("td.rank").Select(td => td.TextContent)));
        page.WaitForAssertion(() => Assert.Equal($"/tracks/{slug}?page=2", LastPermalink()));
    }

    [Fact]
    public async Task Sorts_by_a_metric_column_in_the_database_and_keeps_the_sort_in_the_address()
    {
        var slug = await SeedAsync();
        var page = RenderAt(slug);

        page.WaitForElement("th a[data-sort='params']").Click();

        page.WaitForAssertion(() => Assert.Equal($"/tracks/{slug}?sort=params", LastPermalink()));
        Assert.Equal("ascending", page.Find("th[aria-sort]:has(a[data-sort=params])").GetAttribute("aria-sort"));
        var parameters = page.FindAll("table.ranking tbody tr td:nth-child(9)").Select(td => double.Parse(td.TextContent, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(parameters.Order(), parameters);
        Assert.Equal(1.0, parameters[0]);
    }

    [Fact]
    public async Task Filters_by_family_component_and_owner_and_a_permalink_restores_them()
    {
        var slug = await SeedAsync();
        var page = RenderAt(slug);

        page.WaitForElement("select[name=family]").Change("small");
        page.WaitForAssertion(() => Assert.Equal(20, page.FindAll("table.ranking tbody tr").Count));
        Assert.All(page.FindAll("td.owner"), td => Assert.Equal("carol", td.TextContent));
        page.WaitForAssertion(() => Assert.Equal($"/tracks/{slug}?family=small", LastPermalink()));

        page.Find("input[name=component][value=locality]").Change(true);
        // Let that change's re-render land before the next: a handler found before it may be gone when it fires.
        page.WaitForAssertion(() => Assert.Equal($"/tracks/{slug}?family=small&component=locality", LastPermalink()));
        page.Find("input[name=owner]").Change("dave");
        page.WaitForAssertion(() => Assert.Equal($"/tracks/{slug}?family=small&component=locality&owner=dave", LastPermalink()));
        Assert.Contains("No entries match these filters", page.Markup);

        var restored = RenderAt(slug, "?family=tiny&owner=dave&sort=top1&order=asc");
        restored.WaitForAssertion(() => Assert.Equal("entry 59", restored.Find("table.ranking tbody td.name").TextContent));
        Assert.Equal(40, int.Parse(restored.Find(".pager").TextContent.Split(" · ")[1].Split(' ')[0]));
    }

    [Fact]
    public async Task Rows_from_before_the_tracks_rules_changed_are_marked_and_current_rules_only_hides_them()
    {
        var track = await NewTrackAsync("rules");
        await WithDbAsync(async db =>
        {
            db.Submissions.AddRange(CompletedSubmission(track.Id, "wall-clock era", 70), CompletedSubmission(track.Id, "cpu-time era", 60));
            await db.SaveChangesAsync();
            await db.Tracks.Where(t => t.Id == track.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.RulesVersion, "2"));
            foreach (var (name, rules) in new[] { ("wall-clock era", "1"), ("cpu-time era", "2") })
                await db.Results.Where(r => r.Run.Submission.TrackId == track.Id && r.Run.Submission.Name == name)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.RulesVersion, rules));
            return 0;
        });
        var page = RenderAt(track.Slug);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("table.ranking tbody tr").Count));
        Assert.Equal("older rules", page.Find("tr[data-rank='1'] [data-other-rules]").TextContent.Trim());
        Assert.Empty(page.FindAll("tr[data-rank='2'] [data-other-rules]"));

        page.Find("input[name=rules]").Change(true);

        page.WaitForAssertion(() => Assert.Equal($"/tracks/{track.Slug}?rules=current", LastPermalink()));
        Assert.Equal(["2"], page.FindAll("td.rank").Select(td => td.TextContent));
        Assert.Contains("1 entries of 2 ranked", page.Find(".pager").TextContent);
    }

    [Fact]
    public async Task The_charts_plot_the_filtered_entries_with_their_frontier()
    {
        var slug = await SeedAsync();
        var page = RenderAt(slug, "?family=small");

        page.WaitForAssertion(() => Assert.NotEmpty(_charts.Invocations["render"]));
        var gflops = page.FindComponents<Leaderboard.Web.Components.Charts.ChartView>().Single(c => c.Instance.Id == "chart-gflops").Instance.Spec;
        Assert.Equal(20, gflops.Series[0].Points.Count);
        Assert.Equal($"/api/v1/tracks/{slug}/leaderboard?family=small&pageSize=500&format=csv", page.Find("[data-chart='chart-gflops'] a.chart-data").GetAttribute("href"));
    }

    [Fact]
    public async Task The_papers_reported_rows_are_shown_apart_from_the_ranking()
    {
        var page = RenderAt(TrackSeeder.ImageNet24HourTrackSlug);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("section.reported tr.reported-row")));
        Assert.Empty(page.FindAll("table.ranking"));
        Assert.Contains("not ranked", page.Find("section.reported").TextContent);
        await Task.CompletedTask;
    }

    private string? LastPermalink() =>
        _charts.Invocations["replaceUrl"].Select(i => (string?)i.Arguments[0]).LastOrDefault();
}

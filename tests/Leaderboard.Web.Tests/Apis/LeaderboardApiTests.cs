using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Leaderboard.Data;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Apis;

/// <summary>GET /api/v1/tracks/{slug}/leaderboard: paging, sorting, filters, ETag/304, CSV, reported reference rows.</summary>
public sealed class LeaderboardApiTests : IAsyncLifetime
{
    private const string Track = PlatformFactory.TestTrackSlug;
    private const string Url = $"/api/v1/tracks/{Track}/leaderboard";

    private PlatformFactory _platform = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _platform = await PlatformFactory.StartAsync(worker: false);
        _client = _platform.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task Pages_sorts_and_filters_in_one_query_with_totals()
    {
        await AddResultsAsync(
            ("a", 60, 4000, "cpu", RecipeTemplates.TinyQuick.Yaml),
            ("b", 50, 1000, "cpu", RecipeTemplates.TinyQuickLocality.Yaml),
            ("c", 40, 3000, "cuda", RecipeTemplates.TinyQuickLocality.Yaml),
            ("d", 30, 2000, "cpu", RecipeTemplates.TinyQuick.Yaml),
            ("e", 20, 5000, "cpu", RecipeTemplates.TinyQuickLocality.Yaml));

        var page = await GetObjectAsync($"{Url}?page=2&pageSize=2&sort=params&order=desc");
        var filtered = await GetObjectAsync($"{Url}?component=curriculum,locality&device=cpu");

        Assert.Equal(["c", "d"], Names(page));
        Assert.Equal((2, 2, 5, 3, 5, "params", "desc"),
            ((int)page["page"]!, (int)page["pageSize"]!, (int)page["total"]!, (int)page["totalPages"]!, (int)page["rankedTotal"]!,
             (string)page["sort"]!, (string)page["order"]!));
        Assert.Equal(["b", "e"], Names(filtered));
        Assert.Equal([2, 5], filtered["entries"]!.AsArray().Select(e => (int)e!["rank"]!));
        var entry = filtered["entries"]![0]!;
        Assert.Equal(["locality", "curriculum"], entry["components"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("custom", (string)entry["family"]!);
    }

    [Theory]
    [InlineData("sort=loss", "sort")]
    [InlineData("order=up", "order")]
    [InlineData("pageSize=100000", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("component=warp-drive", "component")]
    [InlineData("family=huge", "family")]
    [InlineData("format=xml", "format")]
    [InlineData("rules=v1", "rules")]
    public async Task A_bad_query_is_a_400_naming_the_parameter(string query, string field)
    {
        var response = await _client.GetAsync($"{Url}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadObjectAsync();
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task An_unchanged_page_revalidates_with_304_and_a_new_result_changes_its_etag()
    {
        await AddResultsAsync(("first", 40, 1000, "cpu", RecipeTemplates.TinyQuick.Yaml));
        var response = await _client.GetAsync(Url);
        var etag = response.Headers.ETag!;
        Assert.Contains("max-age", response.Headers.CacheControl!.ToString());

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, Url) { Headers = { IfNoneMatch = { etag } } };
        var notModified = await _client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        await AddResultsAsync(("second", 50, 1000, "cpu", RecipeTemplates.TinyQuick.Yaml));
        // The change reaches the site as a NOTIFY after the commit: give it a moment.
        var until = DateTime.UtcNow.AddSeconds(10);
        HttpResponseMessage changed;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url) { Headers = { IfNoneMatch = { etag } } };
            changed = await _client.SendAsync(request);
            if (changed.StatusCode != HttpStatusCode.NotModified || DateTime.UtcNow > until) break;
            await Task.Delay(50);
        }
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal(["second", "first"], Names(await changed.ReadObjectAsync()));
    }

    [Fact]
    public async Task Csv_by_accept_header_or_format_parameter_is_the_same_page()
    {
        await AddResultsAsync(("plain, \"quoted\"", 40, 1000, "cpu", RecipeTemplates.TinyQuick.Yaml), ("x", 30, 2000, "cpu", RecipeTemplates.TinyQuick.Yaml));
        using var byAccept = new HttpRequestMessage(HttpMethod.Get, $"{Url}?pageSize=1") { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("text/csv") } } };

        var accepted = await _client.SendAsync(byAccept);
        var byFormat = await _client.GetAsync($"{Url}?pageSize=1&format=csv");

        Assert.Equal("text/csv", accepted.Content.Headers.ContentType!.MediaType);
        var csv = await accepted.Content.ReadAsStringAsync();
        Assert.Equal(csv, await byFormat.Content.ReadAsStringAsync());
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("rank,submissionId,runId,name,", lines[0]);
        Assert.StartsWith("1,", lines[1]);
        Assert.Contains(",\"plain, \"\"quoted\"\"\",", lines[1]);
        Assert.NotEqual(accepted.Headers.ETag, (await _client.GetAsync($"{Url}?pageSize=1")).Headers.ETag);
    }

    [Fact]
    public async Task Rows_from_before_a_rules_change_say_so_and_rules_current_leaves_them_out()
    {
        await AddResultsAsync(("before", 60, 1000, "cpu", RecipeTemplates.TinyQuick.Yaml), ("after", 50, 1000, "cpu", RecipeTemplates.TinyQuick.Yaml));
        await using (var scope = _platform.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
            await db.Tracks.Where(t => t.Slug == Track).ExecuteUpdateAsync(u => u.SetProperty(t => t.RulesVersion, "2"));
            await db.Results.Where(r => r.Run.Submission.Name == "before").ExecuteUpdateAsync(u => u.SetProperty(r => r.RulesVersion, "1"));
            await db.Results.Where(r => r.Run.Submission.Name == "after").ExecuteUpdateAsync(u => u.SetProperty(r => r.RulesVersion, "2"));
        }

        var all = await GetObjectAsync(Url);
        var current = await GetObjectAsync($"{Url}?rules=current");
        var csv = (await _client.GetStringAsync($"{Url}?format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal([("before", "1", true), ("after", "2", false)],
            all["entries"]!.AsArray().Select(e => ((string)e!["name"]!, (string?)e["rulesVersion"], (bool)e["otherRules"]!)));
        Assert.Equal("all", (string)all["filters"]!["rules"]!);
        Assert.Equal(["after"], Names(current));
        Assert.Equal((2, 1, 2, "current"), ((int)current["entries"]![0]!["rank"]!, (int)current["total"]!, (int)current["rankedTotal"]!,
            (string)current["filters"]!["rules"]!));
        Assert.EndsWith(",rulesVersion,otherRules", csv[0]);
        Assert.EndsWith(",1,true", csv[1]);
    }

    [Fact]
    public async Task The_24h_track_shows_the_papers_reported_results_unranked()
    {
        var board = await GetObjectAsync($"/api/v1/tracks/{TrackSeeder.ImageNet24HourTrackSlug}/leaderboard");

        Assert.Empty(board["entries"]!.AsArray());
        Assert.Equal(0, (int)board["rankedTotal"]!);
        var reported = board["reported"]!.AsArray();
        Assert.Equal([53.98, 43.05, 27.89, 79.9], reported.Select(r => (double)r!["top1"]!));
        Assert.All(reported, r => Assert.Equal("reported", (string)r!["kind"]!));
        Assert.False((bool)reported.Single(r => (double)r!["top1"]! == 79.9)!["withinTrackRules"]!);
    }

    [Fact]
    public async Task A_submission_stores_its_family_and_components_from_the_canonical_recipe()
    {
        using var author = await _platform.CreateUserClientAsync();
        var created = await author.SubmitAsync(TrackSeeder.SyntheticTrackSlug, "locality", RecipeTemplates.TinyQuickLocality.Yaml);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await using var scope = _platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        var submission = await db.Submissions.SingleAsync();
        Assert.Equal("custom", submission.ModelFamily);
        Assert.Equal(["locality", "curriculum"], submission.Components);
    }

    private async Task<JsonObject> GetObjectAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    private static List<string> Names(JsonObject board) => board["entries"]!.AsArray().Select(e => (string)e!["name"]!).ToList();

    private Task AddResultsAsync(params (string Name, double Top1, long Params, string Device, string Recipe)[] rows) =>
        _platform.AddAsync(Track, rows.Select(r => new CompletedResult(r.Name, r.Top1, r.Params, r.Device, r.Recipe)).ToArray());
}

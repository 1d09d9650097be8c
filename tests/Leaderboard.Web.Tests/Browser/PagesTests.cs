using System.Text.RegularExpressions;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Features.Submissions;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Leaderboard.Web.Tests.Browser;

/// <summary>The site's pages in a real browser (Chromium) against the real app and database.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PagesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Home_lists_the_seeded_tracks_with_links_to_their_leaderboards()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");

        foreach (var track in TrackSeeder.DefaultTracks().Select(t => t.Slug).Append(PlatformFactory.TestTrackSlug))
            await Expect(page.Locator($"[data-track='{track}'] a.track-name")).ToHaveAttributeAsync("href", $"/tracks/{track}");
        await Expect(page.Locator("[data-track='imagenet1k-1gpu-24h']")).ToContainTextAsync("24 h");
        await BrowserFixture.ScreenshotAsync(page, "home");
    }

    [Fact]
    public async Task The_leaderboard_pages_and_sorts_on_the_server()
    {
        await WithDbAsync(async db =>
        {
            var track = await db.Tracks.SingleAsync(t => t.Slug == TrackSeeder.SyntheticTrackSlug);
            for (var i = 1; i <= 55; i++) db.Runs.Add(CompletedRun(track.Id, $"paged entry {i:00}", 90 - i));
            await db.SaveChangesAsync();
            return 0;
        });

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/tracks/{TrackSeeder.SyntheticTrackSlug}");
        await Expect(page.Locator("table.ranking tbody tr")).ToHaveCountAsync(50);
        await Expect(page.Locator(".pager")).ToContainTextAsync("Page 1 of 2");

        await page.ClickAsync(".pager a[rel=next]");
        await Expect(page.Locator("table.ranking tbody td.rank")).ToHaveTextAsync(["51", "52", "53", "54", "55"]);

        // Best first, then (clicked again) the other way round.
        await page.ClickAsync("th a:text('Top-1 %')");
        await Expect(page).ToHaveURLAsync(new Regex("sort=top1$"));
        await Expect(page.Locator("table.ranking tbody td.name").First).ToHaveTextAsync("paged entry 01");
        await page.ClickAsync("th a:text('Top-1 %')");
        await Expect(page).ToHaveURLAsync(new Regex("sort=top1&order=asc$"));
        await Expect(page.Locator("table.ranking tbody td.name").First).ToHaveTextAsync("paged entry 55");
        await BrowserFixture.ScreenshotAsync(page, "leaderboard-sorted");
    }

    [Fact]
    public async Task The_24h_track_shows_the_papers_reported_results_apart_from_the_ranking()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/tracks/{TrackSeeder.ImageNet24HourTrackSlug}");

        await Expect(page.Locator("section.empty h2")).ToHaveTextAsync("No ranked entries yet");
        await Expect(page.Locator("section.reported tr.reported-row td.name"))
            .ToHaveTextAsync(["DeiT-S + locality FFN + image-size curriculum", "DeiT-S", "LocalViT-S", "DeiT-S (upper bound)"]);
        await Expect(page.Locator("section.reported tr.context")).ToContainTextAsync("beyond this track's rules");
        await Expect(page.Locator("section.reported")).ToContainTextAsync("53.98");
        await BrowserFixture.ScreenshotAsync(page, "leaderboard-reported");
    }

    [Fact]
    public async Task An_invalid_recipe_shows_its_field_error_and_stores_nothing()
    {
        const string recipe = "model:\n  variant: tiny\n  patch_size: 0\n";
        var expected = await ExpectedErrorPathAsync(recipe);
        var (page, _) = await fixture.SignedInPageAsync("broken");
        await page.GotoAsync($"/tracks/{TrackSeeder.SyntheticTrackSlug}/submit");

        await page.FillAsync("#name", "broken recipe");
        await page.FillAsync("#recipe", recipe);
        // Checked as it is typed, and named again when submitted anyway.
        await Expect(page.Locator($"[data-error-path='{expected}']")).ToBeVisibleAsync();
        await page.ClickAsync("button[data-submit]");
        await Expect(page.Locator("[role=alert]", new() { HasText = "Not submitted" })).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-error-path='{expected}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#recipe")).ToHaveValueAsync(recipe);
        await BrowserFixture.ScreenshotAsync(page, "submit-invalid");
        Assert.False(await WithDbAsync(db => db.Submissions.AnyAsync(s => s.Name == "broken recipe")));
    }

    [Fact]
    public async Task A_valid_recipe_is_checked_then_submitted_and_its_page_shows_it_queued()
    {
        var template = TrackTemplates.For(TrackSeeder.SyntheticTrackSlug)[0];
        var (page, user) = await fixture.SignedInPageAsync("submitter");
        await page.GotoAsync($"/tracks/{TrackSeeder.SyntheticTrackSlug}/submit");
        await Expect(page.Locator("#recipe")).ToHaveValueAsync(new Regex("model:"));

        await page.FillAsync("#name", "browser tiny");
        await Expect(page.Locator(".estimate")).ToContainTextAsync("Expected epochs");
        await Expect(page.Locator("#template")).ToHaveValueAsync(template.Name);
        await BrowserFixture.ScreenshotAsync(page, "submit-checked");

        await page.ClickAsync("button[data-submit]");
        await page.WaitForURLAsync(new Regex(@"/submissions/\d+$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("browser tiny");
        await Expect(page.Locator("#run-status .badge")).ToHaveTextAsync("Queued");
        await BrowserFixture.ScreenshotAsync(page, "submission-queued");

        var stored = await WithDbAsync(db => db.Submissions.Include(s => s.Runs).SingleAsync(s => s.Name == "browser tiny"));
        Assert.EndsWith($"/submissions/{stored.Id}", page.Url);
        Assert.Equal(user.Id, stored.OwnerId);
        Assert.Equal(RunStatus.Queued, Assert.Single(stored.Runs).Status);
    }

    [Fact]
    public async Task The_leaderboard_shows_completed_entries_in_rank_order()
    {
        var names = await WithDbAsync(async db =>
        {
            var track = await db.Tracks.SingleAsync(t => t.Slug == PlatformFactory.TestTrackSlug);
            foreach (var (name, top1) in new[] { ("middle entry", 50.5), ("best entry", 61.25), ("last entry", 42.0) })
                db.Runs.Add(CompletedRun(track.Id, name, top1));
            // A queued run appears under "Recent runs", not in the ranking.
            db.Runs.Add(new Run { Submission = NewSubmission(track.Id, "waiting entry"), Status = RunStatus.Queued, QueuedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return 0;
        });

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/tracks/{PlatformFactory.TestTrackSlug}");

        await Expect(page.Locator("table.ranking tbody td.name")).ToHaveTextAsync(["best entry", "middle entry", "last entry"]);
        await Expect(page.Locator("table.ranking tbody tr").First).ToContainTextAsync("61.25");
        await Expect(page.Locator("#recent-runs")).ToContainTextAsync("waiting entry");
        await Expect(page.Locator("a.button.primary")).ToHaveAttributeAsync("href", $"/tracks/{PlatformFactory.TestTrackSlug}/submit");
        await BrowserFixture.ScreenshotAsync(page, "leaderboard");

        await page.ClickAsync("text=best entry");
        await Expect(page.Locator("#run-status .badge")).ToHaveTextAsync("Completed");
        await Expect(page.Locator(".result")).ToContainTextAsync("61.25");
        await BrowserFixture.ScreenshotAsync(page, "submission-completed");
    }

    [Fact]
    public async Task A_running_run_shows_its_progress_and_loss_chart()
    {
        var runId = await WithDbAsync(async db =>
        {
            var track = await db.Tracks.SingleAsync(t => t.Slug == PlatformFactory.TestTrackSlug);
            var now = DateTimeOffset.UtcNow;
            var run = new Run
            {
                Submission = NewSubmission(track.Id, "running entry"), Status = RunStatus.Running, QueuedAt = now.AddSeconds(-12),
                StartedAt = now.AddSeconds(-10), Deadline = now.AddSeconds(10), Elapsed = 9.5, Step = 40, Epoch = 2.1, ImageSize = 32, Loss = 1.7,
                ImagesPerSecond = 310,
            };
            run.Metrics.Add(new RunMetric { Event = "start", Elapsed = 0, Message = "cpu · 4 threads · vit custom 96x4", RecordedAt = now });
            for (int i = 1; i <= 40; i++)
                run.Metrics.Add(new RunMetric
                {
                    Event = "step", Elapsed = i * 0.24, Step = i, Epoch = i / 19.0, ImageSize = 32, Loss = 2.3 * Math.Exp(-i / 60.0), Lr = 0.002,
                    ImagesPerSecond = 310, DataWait = 0.05, TrainTop1 = i % 10 == 0 ? i : null, RecordedAt = now,
                });
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            return run.Id;
        });

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/runs/{runId}");

        await Expect(page.Locator("#run-status .badge")).ToHaveTextAsync("Running");
        await Expect(page.Locator(".progress")).ToContainTextAsync("Held-out top-1");
        await Expect(page.Locator(".timeline [data-step=running]")).ToHaveClassAsync(new Regex("current"));
        // Drawn once the circuit is up; Chart.js sizes the chart to its box through a ResizeObserver, a frame after it is created.
        foreach (var curve in new[] { "curve-loss", "curve-top1", "curve-rate", "curve-size" })
            await page.WaitForFunctionAsync($"() => window.Chart && Chart.getChart(document.getElementById('{curve}'))?.width > 200");
        await BrowserFixture.ScreenshotAsync(page, "run-running");
    }

    private async Task<string> ExpectedErrorPathAsync(string recipe) => await WithDbAsync(async db =>
    {
        var track = await db.Tracks.SingleAsync(t => t.Slug == TrackSeeder.SyntheticTrackSlug);
        var check = RecipeCheck.Run(track, recipe);
        Assert.False(check.IsValid);
        return check.Errors.Keys.First();
    });

    private async Task<T> WithDbAsync<T>(Func<LeaderboardDbContext, Task<T>> action)
    {
        await using var scope = fixture.Platform.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>());
    }

    private static Submission NewSubmission(int trackId, string name) => new()
    {
        TrackId = trackId,
        Name = name,
        RecipeText = "model:\n  variant: tiny\n",
        RecipeCanonical = "{}",
        RecipeHash = new string('a', 64),
        EstimatedParams = 5_700_000,
        EstimatedGflops = 1.26,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static Run CompletedRun(int trackId, string name, double top1)
    {
        var now = DateTimeOffset.UtcNow;
        var run = new Run
        {
            Submission = NewSubmission(trackId, name),
            Status = RunStatus.Completed,
            QueuedAt = now.AddMinutes(-5),
            StartedAt = now.AddMinutes(-4),
            FinishedAt = now,
            Elapsed = 20,
        };
        run.Result = new Result
        {
            Run = run,
            Top1 = top1,
            Top5 = Math.Min(100, top1 + 25),
            EvalImages = 500,
            Params = 5_717_416,
            Gflops = 0.0412,
            EvalImageSize = 64,
            ImagesPerSecond = 1234.5,
            TrainSeconds = 20,
            Device = "cpu (test)",
            Library = "libtorch 1.13.1",
            RecipeHash = new string('a', 64),
            Seed = 0,
            CodeVersion = "test",
            CreatedAt = now,
        };
        return run;
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Leaderboard.Web.Tests.Browser;

/// <summary>
/// A newcomer's whole way through the site in Chromium, over the real server and database: sign up, submit through the
/// form, watch the run live (the worker's writes are made here, to the same tables, so the test does not wait for a
/// training), find it ranked, sort and filter, open it, cancel another run. Screenshots at desktop and phone width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UserJourneyTests(BrowserFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Sign_up_submit_watch_live_find_it_ranked_and_cancel_another()
    {
        var name = $"journey-{Guid.NewGuid():N}"[..16];
        // A track of its own: the other browser tests count the entries of theirs.
        var slug = await WithDbAsync(async db =>
        {
            var track = new Track
            {
                Slug = name, Name = "Journey track", Dataset = "synthetic", NumClasses = 10, TrainImages = 1000, BudgetSeconds = 20, Hardware = "cpu",
                ReferenceTflops = 0.2, MaxImageSize = 64, CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Tracks.Add(track);
            await db.SaveChangesAsync();
            return track.Slug;
        });
        var page = await fixture.NewPageAsync();

        // Sign up, then straight to the form.
        await page.GotoAsync("/account/register");
        await page.FillAsync("#username", name);
        await page.FillAsync("#email", $"{name}@example.test");
        await page.FillAsync("#password", "a long enough password");
        await page.ClickAsync("button[type='submit'].primary");
        await Expect(page.Locator("[data-user]")).ToHaveTextAsync(name);

        await page.GotoAsync($"/tracks/{slug}/submit");
        await Expect(page.Locator("[data-quota]")).ToContainTextAsync("0 of 5");
        // The first template is for the GPU tracks: live validation names what breaks this track's rules.
        await Expect(page.Locator("[data-error-for='data.image_size']").First).ToBeVisibleAsync();
        await page.SelectOptionAsync("#template", "tiny-quick");
        await Expect(page.Locator(".errors")).ToHaveCountAsync(0);
        await page.FillAsync("#name", "journey run");
        await page.FillAsync("#field-optimizer-lr", "0.003");
        await Expect(page.Locator("#recipe")).ToHaveValueAsync(new Regex(@"\n  lr: 0\.003 +#"));
        await page.SelectOptionAsync("#field-model-ffn", "locality");
        await Expect(page.Locator("#recipe")).ToHaveValueAsync(new Regex(@"\n  ffn: locality\n"));
        await Expect(page.Locator("[data-estimate-epochs]")).Not.ToBeEmptyAsync();
        await BrowserFixture.ScreenshotBothAsync(page, "journey-submit");

        await page.ClickAsync("button[data-submit]");
        await page.WaitForURLAsync(new Regex(@"/submissions/\d+$"));
        await Expect(page.Locator("#run-status .badge")).ToHaveTextAsync("Queued");
        var runId = await WithDbAsync(db => db.Runs.Where(r => r.Submission.Name == "journey run").Select(r => r.Id).SingleAsync());
        await BrowserFixture.ScreenshotBothAsync(page, "journey-queued");

        // The run starts and reports progress: the open page follows without a reload.
        await page.EvaluateAsync("() => window.__sameDocument = true");
        await Expect(page.Locator("[data-step=queued]")).ToHaveClassAsync(new Regex("current"));
        await WithRunAsync(runId, (db, run) =>
        {
            (run.Status, run.StartedAt, run.Deadline, run.Worker, run.Attempt) = (RunStatus.Running, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(20), "in-process", 1);
            db.RunMetrics.Add(new RunMetric { RunId = runId, Event = "start", Elapsed = 0, Message = "cpu · 2 threads · vit custom 96x4", RecordedAt = DateTimeOffset.UtcNow });
        });
        await Expect(page.Locator("#run-status .badge")).ToHaveTextAsync("Running");
        var latency = Stopwatch.StartNew();
        await WithRunAsync(runId, (db, run) =>
        {
            for (var step = 1; step <= 30; step++)
                db.RunMetrics.Add(new RunMetric
                {
                    RunId = runId, Event = step % 10 == 0 ? "eval" : "step", Elapsed = step * 0.5, Step = step, Epoch = step / 12.0, ImageSize = 32,
                    Loss = 2.3 * Math.Exp(-step / 20.0), Lr = 0.003, ImagesPerSecond = 300 + step, TrainTop1 = step % 10 == 0 ? step * 1.5 : null,
                    RecordedAt = DateTimeOffset.UtcNow,
                });
            db.RunLogLines.Add(new RunLogLine { RunId = runId, Attempt = 1, Stream = "stdout", Text = "step 30: loss 0.5133", RecordedAt = DateTimeOffset.UtcNow });
        });
        await Expect(page.Locator(".progress")).ToContainTextAsync("45.00 %");
        output.WriteLine($"progress rows written → shown on the open run page: {latency.ElapsedMilliseconds} ms (watcher polls every 1 s)");
        await Expect(page.Locator("pre.log")).ToContainTextAsync("step 30: loss 0.5133");
        // A few more single rows, as the worker writes them, for the latency note (printed, not asserted).
        for (var step = 31; step <= 35; step++)
        {
            latency.Restart();
            await WithRunAsync(runId, (db, run) => db.RunMetrics.Add(new RunMetric
            {
                RunId = runId, Event = "step", Elapsed = step * 0.5, Step = step, Loss = 0.5, ImagesPerSecond = 330, RecordedAt = DateTimeOffset.UtcNow,
            }));
            await Expect(page.Locator(".progress dd").Nth(1)).ToHaveTextAsync(step.ToString(System.Globalization.CultureInfo.InvariantCulture));
            output.WriteLine($"progress row for step {step} written → shown: {latency.ElapsedMilliseconds} ms");
        }
        await page.WaitForFunctionAsync("() => window.Chart && Chart.getChart(document.getElementById('curve-loss'))?.data.datasets[0].data.length === 35");
        await BrowserFixture.ScreenshotBothAsync(page, "journey-running");

        await WithRunAsync(runId, (db, run) =>
        {
            (run.Status, run.FinishedAt) = (RunStatus.Completed, DateTimeOffset.UtcNow);
            run.Result = new Result
            {
                Top1 = 61.25, Top5 = 93.5, Params = 460_000, Gflops = 0.033, EvalImages = 500, EvalImageSize = 32, ImagesPerSecond = 2400, TrainSeconds = 19.8,
                Device = "cpu (journey)", Library = "TorchSharp 0.107.0 · libtorch 2.10.0", RecipeHash = run.Submission.RecipeHash, Seed = 0, CodeVersion = "journey",
                CreatedAt = DateTimeOffset.UtcNow,
            };
        });
        await Expect(page.Locator(".result")).ToContainTextAsync("61.25");
        await Expect(page.Locator("[data-step=result]")).ToHaveClassAsync(new Regex("done"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the run page reloaded");
        await Expect(page.Locator("[data-diff-path='optimizer.lr']")).ToContainTextAsync("0.003");
        await BrowserFixture.ScreenshotBothAsync(page, "journey-completed");

        // Ranked on the track; sorted and filtered in the grid; its page opens from there.
        await page.GotoAsync($"/tracks/{slug}");
        var row = page.Locator("table.ranking tbody tr", new() { HasText = "journey run" });
        await Expect(row.Locator("td.rank")).Not.ToBeEmptyAsync();
        await page.ClickAsync("th a[data-sort='params']");
        await Expect(page).ToHaveURLAsync(new Regex(@"\?sort=params$"));
        // Until the circuit is up, Enter submits the form natively (a full GET with every field): wait for the interactive page.
        await Expect(page.Locator("form.filters[data-interactive]")).ToHaveCountAsync(1);
        await page.FillAsync("input[name=owner]", name);
        await page.PressAsync("input[name=owner]", "Enter");
        await Expect(page.Locator("table.ranking tbody tr")).ToHaveCountAsync(1);
        await Expect(page).ToHaveURLAsync(new Regex($@"\?sort=params&owner={name}$"));
        await page.CheckAsync("input[name=component][value=locality]");
        await Expect(page.Locator("table.ranking tbody td.name")).ToHaveTextAsync(["journey run"]);
        await page.WaitForFunctionAsync("() => window.Chart && Chart.getChart(document.getElementById('chart-gflops'))?.data.datasets[0].data.length === 1");
        await BrowserFixture.ScreenshotBothAsync(page, "journey-leaderboard");
        var permalink = page.Url;
        await page.ReloadAsync();
        await Expect(page.Locator("table.ranking tbody tr")).ToHaveCountAsync(1);
        Assert.Equal(permalink, page.Url);
        await page.ClickAsync("table.ranking tbody td.name a");
        await Expect(page.Locator("h1")).ToHaveTextAsync("journey run");

        // Another run of theirs, cancelled from its page.
        string secret;
        await using (var scope = fixture.Platform.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>().Users.SingleAsync(u => u.UserName == name);
            secret = (await scope.ServiceProvider.GetRequiredService<Web.Features.Accounts.ApiTokens>().CreateAsync(user.Id, "journey", CancellationToken.None)).Secret;
        }
        using var api = fixture.Platform.CreateClient(secret);
        var otherRun = (long)(await (await api.SubmitAsync(slug, "journey second", TestRecipes.Small)).ReadObjectAsync())["runId"]!;
        await page.GotoAsync($"/runs/{otherRun}");
        await page.ClickAsync("#run-status [data-cancel]");
        await page.ClickAsync("#run-status [data-confirm-cancel]");
        await Expect(page.Locator("#run-status .badge")).ToHaveTextAsync("Cancelled");
        await Expect(page.Locator("[data-step=result]")).ToHaveClassAsync(new Regex("failed"));
        await BrowserFixture.ScreenshotBothAsync(page, "journey-cancelled");

        // The other pages on the same layout, for the record.
        foreach (var (path, shot) in new[] { ("/", "home"), ("/queue", "queue"), ("/account/submissions", "my-submissions"), ("/account/tokens", "tokens") })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("h1").First).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotBothAsync(page, "journey-" + shot);
            if (shot == "my-submissions")
                await Expect(page.Locator("#my-submissions td.name")).ToHaveTextAsync(["journey second", "journey run"]);
        }
    }

    private async Task<T> WithDbAsync<T>(Func<LeaderboardDbContext, Task<T>> action)
    {
        await using var scope = fixture.Platform.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>());
    }

    private Task<int> WithRunAsync(long runId, Action<LeaderboardDbContext, Run> change) => WithDbAsync(async db =>
    {
        var run = await db.Runs.Include(r => r.Submission).SingleAsync(r => r.Id == runId);
        change(db, run);
        return await db.SaveChangesAsync();
    });
}

using Bunit;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Features.Runs;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Features.Runs;

/// <summary>The run page over the real watcher: rows written to the database appear without a reload, and leaving the page ends the subscription.</summary>
[Collection(ComponentCollection.Name)]
public sealed class RunPageTests : PlatformComponentTest
{
    public RunPageTests(ComponentPlatformFixture fixture) : base(fixture) => JSInterop.SetupModule("/js/charts.js").Mode = JSRuntimeMode.Loose;

    private async Task<long> RunningRunAsync()
    {
        var track = await NewTrackAsync("live");
        return await WithDbAsync(async db =>
        {
            var submission = CompletedSubmission(track.Id, "live entry", 0);
            var run = submission.Runs[0];
            (run.Status, run.Result, run.FinishedAt, run.Elapsed, run.Step) = (RunStatus.Running, null, null, 1, 1);
            run.Metrics.Add(new RunMetric { Event = "start", Elapsed = 0, Message = "cpu · 2 threads", RecordedAt = DateTimeOffset.UtcNow });
            db.Submissions.Add(submission);
            await db.SaveChangesAsync();
            return run.Id;
        });
    }

    private Task<int> AddProgressAsync(long runId, int step, double? heldOutTop1 = null) => WithDbAsync(async db =>
    {
        db.RunMetrics.Add(new RunMetric
        {
            RunId = runId, Event = heldOutTop1 is null ? "step" : "eval", Elapsed = step, Step = step, Epoch = step / 10.0, ImageSize = 32,
            Loss = 2.0 / step, Lr = 1e-3, ImagesPerSecond = 300 + step, TrainTop1 = heldOutTop1, RecordedAt = DateTimeOffset.UtcNow,
        });
        db.RunLogLines.Add(new RunLogLine { RunId = runId, Attempt = 1, Stream = "stdout", Text = $"step {step} done", RecordedAt = DateTimeOffset.UtcNow });
        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Progress_written_to_the_database_appears_on_the_open_page()
    {
        var runId = await RunningRunAsync();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));
        page.WaitForElement("[data-step=running]");
        Assert.Contains("current", page.Find("[data-step=running]").ClassList);
        Assert.Contains("No output yet", page.Find(".log-tail").TextContent);

        await AddProgressAsync(runId, 7);
        await AddProgressAsync(runId, 8, heldOutTop1: 41.5);

        page.WaitForAssertion(() => Assert.Contains("41.50 %", page.Find(".progress").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("step 8 done", page.Find("pre.log").TextContent);
        var curves = page.FindComponents<Leaderboard.Web.Components.Charts.ChartView>().ToDictionary(c => c.Instance.Id, c => c.Instance.Spec);
        Assert.Equal([7.0, 8.0], curves["curve-loss"].Series[0].Points.Select(p => p[0]));
        Assert.Equal(0.25, curves["curve-loss"].Series[0].Points[^1][1]);
        Assert.Equal([[8.0, 41.5]], curves["curve-top1"].Series[0].Points);
        Assert.Equal([300 + 7, 300 + 8], curves["curve-rate"].Series[0].Points.Select(p => p[1]));

        await WithDbAsync(async db =>
        {
            var run = await db.Runs.FindAsync(runId);
            (run!.Status, run.FinishedAt, run.FailureReason, run.FailureClass) = (RunStatus.Failed, DateTimeOffset.UtcNow, "loss diverged (NaN) at step 9", FailureClass.User);
            return await db.SaveChangesAsync();
        });
        page.WaitForAssertion(() => Assert.Contains("loss diverged", page.Find("[data-failure]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("failed", page.Find("[data-step=result]").ClassList);
        Assert.Equal("User", page.Find("[data-failure-class]").GetAttribute("data-failure-class"));
    }

    [Fact]
    public async Task Leaving_the_page_disposes_its_subscription()
    {
        var runId = await RunningRunAsync();
        var watcher = Services.GetRequiredService<RunWatcher>();
        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));
        page.WaitForAssertion(() => Assert.Equal(1, watcher.ActiveSubscriptions));

        await DisposeComponentsAsync();

        Assert.Equal(0, watcher.ActiveSubscriptions);
        _ = page;
    }

    [Fact]
    public async Task A_finished_run_is_not_watched_and_shows_its_result_environment_and_recipe_diff()
    {
        var track = await NewTrackAsync("done");
        var runId = await WithDbAsync(async db =>
        {
            var submission = CompletedSubmission(track.Id, "done entry", 61.25, recipe: "model:\n  variant: tiny\n  patch_size: 8\n");
            db.Submissions.Add(submission);
            await db.SaveChangesAsync();
            return submission.Runs[0].Id;
        });
        var submissionId = await WithDbAsync(async db => (await db.Runs.FindAsync(runId))!.SubmissionId);
        var watcher = Services.GetRequiredService<RunWatcher>();

        var page = Render<RunPage>(p => p.Add(x => x.RunId, runId));
        page.WaitForElement(".result");

        Assert.Equal(0, watcher.ActiveSubscriptions);
        Assert.Contains("61.25", page.Find(".result").TextContent);
        Assert.Contains("TorchSharp 0.107.0", page.Find(".result").TextContent);
        Assert.Contains("done", page.Find("[data-step=result]").ClassList);
        Assert.NotEmpty(page.FindAll("[data-diff-path='model.patch_size']"));
        Assert.Equal($"/tracks/{track.Slug}/submit?fork={submissionId}", page.Find("a[data-fork]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_submission_of_several_seeds_lists_its_seed_runs_the_mean_with_its_interval_and_the_reruns_verdict()
    {
        var track = await NewTrackAsync("seeds");
        var runIds = await WithDbAsync(async db =>
        {
            var submission = CompletedSubmission(track.Id, "three runs", 60);
            foreach (var (seed, top1, code) in new[] { (1L, 64.0, "test"), (1L, 63.0, "newer") })
            {
                var run = CompletedSubmission(track.Id, "", top1).Runs[0];
                (run.Seed, run.Result!.Seed, run.Result.CodeVersion) = (seed, seed, code);
                submission.Runs.Add(run);
            }
            db.Submissions.Add(submission);
            await db.SaveChangesAsync();
            return submission.Runs.Select(r => r.Id).ToList();
        });

        var page = Render<RunPage>(p => p.Add(x => x.RunId, runIds[1]));
        page.WaitForElement("[data-seed-runs]");

        Assert.Contains("62.00 %", page.Find("[data-seed-summary]").TextContent);
        Assert.Contains("± 25.41", page.Find("[data-seed-summary] [data-ci]").TextContent);
        Assert.Equal(["seed sample", "seed sample", "re-run (verification)"], page.FindAll("[data-seed-runs] [data-role]").Select(td => td.TextContent));
        Assert.Equal("verified", page.Find("[data-seed-runs] [data-verification]").GetAttribute("data-verification"));
        Assert.Contains("code version newer, the original on test", page.Find("[data-other-code-version]").TextContent);
        Assert.Contains("seed 1", page.Find(".page-head .muted").TextContent);
    }
}

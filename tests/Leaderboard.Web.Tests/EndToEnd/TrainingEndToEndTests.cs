using System.Net;
using System.Text.Json.Nodes;
using Leaderboard.Data;
using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.EndToEnd;

/// <summary>
/// A recipe submitted over HTTP is trained by the in-process worker through the real trainer process on generated
/// data, scored by a separate evaluation process, and ranked — against a real PostgreSQL.
/// </summary>
public sealed class TrainingEndToEndTests
{
    private const int BudgetSeconds = 30;

    [Fact]
    public async Task Submitted_recipe_is_trained_within_budget_scored_and_ranked()
    {
        await using var platform = await PlatformFactory.StartAsync(worker: true, testTrackBudgetSeconds: BudgetSeconds);
        using var client = await platform.CreateUserClientAsync();

        var created = await client.SubmitAsync(PlatformFactory.TestTrackSlug, "small vit", TestRecipes.Small);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var submission = await created.ReadObjectAsync();
        var run = await client.WaitForRunAsync((long)submission["runId"]!, TimeSpan.FromMinutes(3));

        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}");
        var leaderboard = JsonNode.Parse(await client.GetStringAsync($"/api/v1/tracks/{PlatformFactory.TestTrackSlug}/leaderboard"))!;
        var entry = Assert.Single(leaderboard["entries"]!.AsArray())!;
        Assert.Equal(1, (int)entry["rank"]!);
        Assert.Equal((long)submission["id"]!, (long)entry["submissionId"]!);
        // 10 classes: chance is 10 %.
        Assert.True((double)entry["top1"]! > 25, $"top-1 {entry["top1"]} is not well above chance");
        Assert.True((double)entry["top5"]! >= (double)entry["top1"]!);
        var model = ModelCost.Count(ModelResolver.Resolve(RecipeParser.Parse(TestRecipes.Small).Recipe!.Model, SharedSyntheticDataset.Classes), 32);
        Assert.Equal(model.Params, (long)entry["params"]!);
        Assert.Equal(model.Flops / 1e9, (double)entry["gflops"]!, 6);
        Assert.True((double)entry["imagesPerSecond"]! > 0);

        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        var runId = (long)run["id"]!;
        var steps = await db.RunMetrics.Where(m => m.RunId == runId && m.Event == "step").ToListAsync();
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.True(s.Elapsed <= BudgetSeconds, $"a step was logged at {s.Elapsed} s, past the budget"));
        Assert.Contains(steps, s => s.Loss is > 0 && s.ImagesPerSecond is > 0);
        var result = await db.Results.SingleAsync(r => r.RunId == runId);
        Assert.True(result.TrainSeconds <= BudgetSeconds);
        Assert.Equal((string)submission["recipeHash"]!, result.RecipeHash);
        Assert.Equal(1, result.Seed);
    }
}

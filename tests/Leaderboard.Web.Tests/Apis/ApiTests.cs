using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Leaderboard.Web.Tests.Apis;

/// <summary>The REST API without a worker: tracks, templates, validation, submissions and their field-level errors.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private PlatformFactory _platform = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _platform = await PlatformFactory.StartAsync(worker: false);
        _client = await _platform.CreateUserClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task Tracks_are_seeded_with_their_budgets()
    {
        var tracks = JsonNode.Parse(await _client.GetStringAsync("/api/v1/tracks"))!.AsArray();

        var budgets = tracks.ToDictionary(t => (string)t!["slug"]!, t => (int)t!["budgetSeconds"]!);
        Assert.Equal(86400, budgets["imagenet1k-1gpu-24h"]);
        Assert.Equal(3600, budgets["imagenet1k-1gpu-1h"]);
        Assert.Equal(120, budgets["synthetic-cpu-2min"]);
        Assert.All(tracks, t => Assert.False(string.IsNullOrEmpty((string?)t!["name"])));
    }

    [Fact]
    public async Task Templates_are_listed_and_each_validates_on_its_track()
    {
        var templates = JsonNode.Parse(await _client.GetStringAsync("/api/v1/recipes/templates"))!.AsArray();

        Assert.NotEmpty(templates);
        var quick = templates.Single(t => (string)t!["name"]! == "tiny-quick")!;
        var response = await _client.PostAsJsonAsync("/api/v1/recipes/validate", new { track = "synthetic-cpu-2min", recipe = (string)quick["recipe"]! });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Validate_returns_the_cost_estimate_without_storing_anything()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/recipes/validate", new { track = "synthetic-cpu-2min", recipe = TestRecipes.Small });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        Assert.True((bool)body["valid"]!);
        var expected = ModelCost.Count(ModelResolver.Resolve(RecipeParser.Parse(TestRecipes.Small).Recipe!.Model, 10), 32);
        Assert.Equal(expected.Params, (long)body["estimate"]!["params"]!);
        Assert.Equal(expected.Flops / 1e9, (double)body["estimate"]!["gflops"]!, 6);
        Assert.True((double)body["estimate"]!["expectedEpochs"]! > 0);
        Assert.Equal(0, await CountStoredAsync());
    }

    public static TheoryData<string, string, string> InvalidSubmissions => new()
    {
        { "synthetic-cpu-2min", "model: [unclosed", "recipe" },
        { "synthetic-cpu-2min", "model:\n  embed_dimm: 64\n", "model.embed_dimm" },
        { "synthetic-cpu-2min", "model:\n  variant: custom\n  embed_dim: 100\n  depth: 2\n  heads: 3\n  patch_size: 4\n", "model.heads" },
        { "synthetic-cpu-2min", "model:\n  patch_size: 4\ndata:\n  image_size: 30\n", "data.image_size" },
        { "synthetic-cpu-2min", "model:\n  patch_size: 4\noptimizer:\n  lr: -0.1\n", "optimizer.lr" },
        { "no-such-track", TestRecipes.Small, "track" },
    };

    [Theory]
    [MemberData(nameof(InvalidSubmissions))]
    public async Task Invalid_submission_gets_400_naming_the_field_and_stores_nothing(string track, string recipe, string field)
    {
        var before = await CountStoredAsync();

        var response = await _client.SubmitAsync(track, "bad", recipe);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadObjectAsync())["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"expected an error on '{field}', got: {errors.ToJsonString()}");
        Assert.NotEmpty((string)errors[field]![0]!);
        Assert.Equal(before, await CountStoredAsync());

        var validate = await _client.PostAsJsonAsync("/api/v1/recipes/validate", new { track, recipe });
        Assert.Equal(HttpStatusCode.BadRequest, validate.StatusCode);
    }

    [Fact]
    public async Task Submission_is_stored_with_its_canonical_recipe_and_a_queued_run()
    {
        var response = await _client.SubmitAsync(PlatformFactory.TestTrackSlug, "small vit", TestRecipes.Small);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var submission = await response.ReadObjectAsync();
        var runId = (long)submission["runId"]!;
        Assert.Equal(RecipeCanonical.Hash(RecipeParser.Parse(TestRecipes.Small).Recipe!), (string)submission["recipeHash"]!);
        var run = JsonNode.Parse(await _client.GetStringAsync($"/api/v1/runs/{runId}"))!;
        Assert.Equal("Queued", (string)run["status"]!);
        Assert.Equal((long)submission["id"]!, (long)run["submissionId"]!);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(response.Headers.Location)).StatusCode);
        Assert.Equal(["Enqueued"], await JobStatesAsync());
        Assert.Equal(1, (int)run["queuePosition"]!);
        Assert.Null(run["estimatedStart"]);
    }

    [Fact]
    public async Task A_distilling_recipe_needs_a_completed_teacher_run_of_the_same_track()
    {
        var teacher = await (await _client.SubmitAsync(PlatformFactory.TestTrackSlug, "teacher", TestRecipes.Small)).ReadObjectAsync();
        var teacherRun = (long)teacher["runId"]!;
        string Distilling(long run) => TestRecipes.Small.Replace("  label_smoothing: 0.0\n", $"  label_smoothing: 0.0\n  distillation: {{ teacher_run: {run}, type: hard }}\n");
        const string field = "training.distillation.teacher_run";

        async Task<string> RefusalAsync(long run)
        {
            var response = await _client.SubmitAsync(PlatformFactory.TestTrackSlug, "student", Distilling(run));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (string)(await response.ReadObjectAsync())["errors"]![field]![0]!;
        }

        Assert.Contains("does not exist", await RefusalAsync(teacherRun + 1000));
        Assert.Contains("is queued; a teacher must be a completed run", await RefusalAsync(teacherRun));

        await using (var scope = _platform.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
            var run = await db.Runs.SingleAsync(r => r.Id == teacherRun);
            run.Status = RunStatus.Completed;
            run.CheckpointPath = "/runs/teacher/checkpoint.safetensors";
            await db.SaveChangesAsync();
        }
        var accepted = await _client.SubmitAsync(PlatformFactory.TestTrackSlug, "student", Distilling(teacherRun));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task The_same_recipe_in_JSON_hashes_like_its_YAML()
    {
        var yaml = await (await _client.SubmitAsync(PlatformFactory.TestTrackSlug, "yaml", TestRecipes.Small)).ReadObjectAsync();
        var json = """
            {"seed": 1, "data": {"augment": "none", "image_size": 32}, "training": {"label_smoothing": 0, "batch_size": 64},
             "optimizer": {"weight_decay": 0.05, "lr": 0.002}, "model": {"init": "torch", "patch_size": 8, "heads": 2, "depth": 3, "embed_dim": 64, "variant": "custom"}}
            """;
        var fromJson = await (await _client.SubmitAsync(PlatformFactory.TestTrackSlug, "json", json)).ReadObjectAsync();

        Assert.Equal((string)yaml["recipeHash"]!, (string)fromJson["recipeHash"]!);
    }

    [Fact]
    public async Task Cancelling_a_queued_run_takes_it_off_the_queue()
    {
        var submission = await (await _client.SubmitAsync(PlatformFactory.TestTrackSlug, "to cancel", TestRecipes.Small)).ReadObjectAsync();
        var runId = (long)submission["runId"]!;

        var response = await _client.PostAsync($"/api/v1/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Cancelled", (string)(await response.ReadObjectAsync())["status"]!);
        Assert.Equal(["Deleted"], await JobStatesAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostAsync($"/api/v1/runs/{runId}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_bearer_token_is_refused()
    {
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/v1/submissions")
        {
            Content = JsonContent.Create(new { track = PlatformFactory.TestTrackSlug, name = "x", recipe = TestRecipes.Small }),
        };
        wrong.Headers.Authorization = new("Bearer", "not-the-token");

        var response = await _client.SendAsync(wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await CountStoredAsync());
    }

    [Fact]
    public async Task Unknown_run_and_track_are_404_problems()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/runs/999999")).StatusCode);
        var response = await _client.GetAsync("/api/v1/tracks/nope/leaderboard");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Readiness_and_the_openapi_document_are_served()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/ready")).StatusCode);
        var openApi = await _client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/submissions", openApi);
    }

    private async Task<int> CountStoredAsync()
    {
        await using var scope = _platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        return await db.Submissions.CountAsync() + await db.Runs.CountAsync() + (await JobStatesAsync()).Count;
    }

    /// <summary>The states of Hangfire's jobs.</summary>
    private async Task<List<string>> JobStatesAsync()
    {
        await using var connection = new NpgsqlConnection(_platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT statename FROM hangfire.job ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<string>();
        while (await reader.ReadAsync()) states.Add(reader.GetString(0));
        return states;
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Npgsql;

namespace Leaderboard.Web.Tests.EndToEnd;

/// <summary>
/// A worker node process as an operator runs it: its own health endpoints, JSON logs whose lines name their run,
/// no secret in its output, and a bad setting stopping it at start with the variable named.
/// </summary>
public sealed class WorkerNodeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_node_serves_its_health_and_logs_json_lines_that_carry_the_run_id_and_no_secret()
    {
        const string password = "db-secret-4f1c9e";
        using var trainer = new FakeTrainer(trainSeconds: 0.3);
        await using var platform = await PlatformFactory.StartAsync(worker: false);
        using var client = await platform.CreateUserClientAsync();
        // Trust authentication ignores the password: it is here to be looked for in the output.
        var withPassword = new NpgsqlConnectionStringBuilder(platform.ConnectionString) { Password = password }.ConnectionString;
        using var worker = WorkerProcess.Start(platform, "node-h", new Dictionary<string, string> { ["TrainerPath"] = trainer.Path },
            new Dictionary<string, string> { ["ConnectionStrings__Leaderboard"] = withPassword });
        using var http = new HttpClient { BaseAddress = await worker.HealthAddress.WaitAsync(Patience) };

        var runId = (long)(await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "logged", TestRecipes.Small)).ReadObjectAsync())["runId"]!;
        var run = await client.WaitForRunAsync(runId, Patience);
        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}\n{worker.RecentOutput}");

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetAsync("/health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
        var node = await (await http.GetAsync("/health/node")).ReadObjectAsync();
        Assert.True((bool)node["healthy"]!, node.ToJsonString());
        Assert.Equal(("node-h", "cpu", true), ((string)node["name"]!, (string)node["hardwareClass"]!, (bool)node["row"]!["online"]!));

        var lines = worker.Output;
        var json = lines.Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.True(json.Count > 0 && json.Count == lines.Count(l => l.Length > 0), "every log line is one JSON object:\n" + worker.RecentOutput);
        Assert.Contains(json, line => (string?)line["Category"] == "Leaderboard.Jobs.TrainRunJob"
            && line["Scopes"]!.AsArray().Any(scope => scope is JsonObject s && s["RunId"]?.GetValue<long>() == runId));
        Assert.DoesNotContain(lines, line => line.Contains(password, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Worker__GraceSeconds", "-1")]
    [InlineData("Worker__MaxAttempts", "0")]
    [InlineData("Worker__TrainerPath", "/nonexistent/lb-trainer")]
    public async Task A_bad_setting_stops_the_node_at_start_naming_the_variable(string variable, string value)
    {
        await using var platform = await PlatformFactory.StartAsync(worker: false);
        using var worker = WorkerProcess.Start(platform, "misconfigured", environment: new Dictionary<string, string> { [variable] = value });

        var exitCode = await worker.WaitForExitAsync(Patience);

        Assert.NotNull(exitCode);
        Assert.NotEqual(0, exitCode);
        Assert.Contains(variable, worker.RecentOutput);
    }
}

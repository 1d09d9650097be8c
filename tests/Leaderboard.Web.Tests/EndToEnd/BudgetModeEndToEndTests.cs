using System.Net;
using System.Text.Json.Nodes;
using Leaderboard.Data;
using Leaderboard.Jobs;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.EndToEnd;

/// <summary>
/// A cpu-time track end to end: the in-process worker calibrates its node at start, trains a run under a budget of the
/// trainer's CPU seconds through the real trainer, and the result carries its provenance (hardware fingerprint, budget
/// mode, calibration score, rules version) into the API, the CSV, the leaderboard's hardware filter and the run page.
/// </summary>
public sealed class BudgetModeEndToEndTests
{
    private const int CpuBudgetSeconds = 15;

    [Fact]
    public async Task A_cpu_time_run_is_scored_with_its_provenance_and_its_nodes_calibration_in_the_API_the_CSV_and_the_run_page()
    {
        await using var platform = await PlatformFactory.StartAsync(worker: true, testTrackBudgetSeconds: CpuBudgetSeconds, testTrackBudgetMode: "cpu-time",
            settings: new Dictionary<string, string> { ["Worker:CalibrationHours"] = "6" });
        var score = await WaitForCalibrationAsync(platform, TimeSpan.FromMinutes(3));
        using var client = await platform.CreateUserClientAsync();

        var submission = await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "cpu-time vit", TestRecipes.Small)).ReadObjectAsync();
        var run = await client.WaitForRunAsync((long)submission["runId"]!, TimeSpan.FromMinutes(5));

        Assert.True((string)run["status"]! == "Completed", $"run ended {run["status"]}: {run["failureReason"]}");
        var result = run["result"]!;
        Assert.True((double)result["trainSeconds"]! <= CpuBudgetSeconds, $"trained {result["trainSeconds"]} CPU s of a {CpuBudgetSeconds} s budget");
        var provenance = result["provenance"]!;
        var cpu = NodeHardware.ReadCpuModel();
        Assert.Equal("cpu-time", (string?)provenance["budgetMode"]);
        Assert.Equal(score, (double?)provenance["calibrationScore"]);
        Assert.Equal("1", (string?)provenance["rulesVersion"]);
        Assert.Equal((cpu, Environment.ProcessorCount, cpu), ((string?)provenance["cpuModel"], (int?)provenance["cpuCores"], (string?)provenance["hardwareClass"]));
        Assert.Null(provenance["gpuModel"]);
        Assert.StartsWith("TorchSharp ", (string?)result["library"]);
        Assert.False(string.IsNullOrEmpty((string?)result["codeVersion"]));

        var csv = (await client.GetStringAsync($"/api/v1/tracks/{PlatformFactory.TestTrackSlug}/leaderboard?format=csv")).Split("\r\n");
        Assert.Contains(",submittedAt,hardwareClass,calibrationScore,", csv[0]);
        Assert.Contains($",{Csv(cpu)},{score.ToString(System.Globalization.CultureInfo.InvariantCulture)},", csv[1]);

        var sameHardware = JsonNode.Parse(await client.GetStringAsync(
            $"/api/v1/tracks/{PlatformFactory.TestTrackSlug}/leaderboard?hardware={Uri.EscapeDataString(cpu)}"))!;
        var entry = Assert.Single(sameHardware["entries"]!.AsArray())!;
        Assert.Equal((cpu, score), ((string?)entry["hardwareClass"], (double?)entry["calibrationScore"]));
        var otherHardware = JsonNode.Parse(await client.GetStringAsync(
            $"/api/v1/tracks/{PlatformFactory.TestTrackSlug}/leaderboard?hardware={Uri.EscapeDataString("NVIDIA H100 80GB HBM3")}"))!;
        Assert.Empty(otherHardware["entries"]!.AsArray());

        var page = await client.GetStringAsync($"/runs/{run["id"]}");
        Assert.Contains("Provenance", page);
        Assert.Contains("cpu-time", page);
        Assert.Contains(WebUtility.HtmlEncode(cpu), page);
        Assert.Contains(" of CPU time", page);
    }

    /// <summary>The node row's score once the worker's first measure of the reference workload is stored.</summary>
    private static async Task<double> WaitForCalibrationAsync(PlatformFactory platform, TimeSpan timeout)
    {
        var giveUpAt = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < giveUpAt)
        {
            await using (var scope = platform.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
                if (await db.Nodes.Where(n => n.Name == "in-process").Select(n => n.CalibrationScore).SingleOrDefaultAsync() is double score) return score;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"the node was not calibrated within {timeout}");
    }

    private static string Csv(string field) => field.AsSpan().IndexOfAny(",\"") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}

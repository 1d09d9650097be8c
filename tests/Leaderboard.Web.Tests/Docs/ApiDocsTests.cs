using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Leaderboard.Data;
using Leaderboard.TestUtilities;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Apis;
using Leaderboard.Web.Tests.Infrastructure;

namespace Leaderboard.Web.Tests.Docs;

/// <summary>
/// docs/api.md's bash blocks, run in order in one shell against a real Kestrel server and PostgreSQL: each must succeed
/// and every line it prints must parse (JSON, the leaderboard's CSV, or a bare status code).
/// </summary>
public sealed partial class ApiDocsTests
{
    private const string EndOfBlock = "@@end-of-block@@";

    [Fact]
    public async Task Every_example_in_the_api_guide_runs_and_prints_what_it_promises()
    {
        var token = Convert.ToHexString(Guid.NewGuid().ToByteArray());
        await using var platform = await PlatformFactory.StartAsync(worker: false, kestrel: true,
            settings: new Dictionary<string, string> { ["Admin:Token"] = token });
        await platform.AddAsync(TrackSeeder.SyntheticTrackSlug,
            new CompletedResult("tiny-quick, seed 0", 58.6, 460_000, "cpu", RecipeTemplates.TinyQuick.Yaml),
            new CompletedResult("tiny-quick-locality", 63.5, 470_000, "cpu", RecipeTemplates.TinyQuickLocality.Yaml));
        var blocks = BashBlocks(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docs", "api.md")));
        Assert.True(blocks.Count >= 10, $"only {blocks.Count} bash blocks");

        var script = "set -euo pipefail\n" + string.Concat(blocks.Select(b => $"{b}\necho {EndOfBlock}\n"));
        var (exitCode, stdout, stderr) = await RunBashAsync(script, platform.ServerAddress.ToString().TrimEnd('/'), token);

        var outputs = stdout.Split(EndOfBlock + "\n");
        Assert.True(exitCode == 0, $"block {outputs.Length} failed (exit {exitCode}):\n{blocks[Math.Min(outputs.Length, blocks.Count) - 1]}\n{stderr}\n{stdout}");
        Assert.Equal(blocks.Count + 1, outputs.Length);
        for (var i = 0; i < blocks.Count; i++)
        {
            var lines = outputs[i].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (blocks[i].Contains("curl")) Assert.True(lines.Length > 0, $"block {i + 1} printed nothing:\n{blocks[i]}");
            Assert.True(Parses(outputs[i]), $"block {i + 1} printed something that does not parse:\n{blocks[i]}\n---\n{outputs[i]}");
        }
        Assert.Contains("304", outputs.Select(o => o.Trim()));
        Assert.Contains(outputs, o => o.StartsWith(string.Join(',', LeaderboardSnapshot.CsvColumns), StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Contains("\"Cancelled\"", StringComparison.Ordinal));
    }

    private static List<string> BashBlocks(string markdown) =>
        BashBlock().Matches(markdown).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The output is a sequence of JSON documents (what jq prints), or each line is JSON or a CSV record of the leaderboard's columns.</summary>
    private static bool Parses(string output)
    {
        if (string.IsNullOrWhiteSpace(output) || IsJsonSequence(output)) return true;
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).All(line => IsJsonSequence(line) || CsvFieldCount(line) == LeaderboardSnapshot.CsvColumns.Length);
    }

    private static bool IsJsonSequence(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            var values = 0;
            while (reader.Read())
            {
                using var _ = JsonDocument.ParseValue(ref reader);
                values++;
            }
            return values > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int CsvFieldCount(string line)
    {
        int fields = 1, i = 0;
        var quoted = false;
        for (; i < line.TrimEnd('\r').Length; i++)
        {
            var c = line[i];
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) fields++;
        }
        return quoted ? -1 : fields;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunBashAsync(string script, string baseAddress, string token)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["LB"] = baseAddress;
        start.Environment["LB_ADMIN_TOKEN"] = token;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"^```bash\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}

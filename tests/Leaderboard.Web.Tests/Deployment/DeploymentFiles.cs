using System.Text.RegularExpressions;
using Leaderboard.TestUtilities;
using YamlDotNet.Serialization;

namespace Leaderboard.Web.Tests.Deployment;

/// <summary>The repository's deployment files as the tests read them: docs/deploy.md's tables, the compose file, the Dockerfiles.</summary>
internal static partial class DeploymentFiles
{
    public static string Read(params string[] path) => File.ReadAllText(Path.Combine([RepositoryPaths.Root, .. path]));

    /// <summary>The variable names (in backticks) in the first column of the table under a heading of docs/deploy.md.</summary>
    public static IReadOnlyList<string> DocumentedVariables(string heading)
    {
        var lines = Read("docs", "deploy.md").Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimEnd() == heading);
        Assert.True(start >= 0, $"docs/deploy.md has no heading '{heading}'");
        var rows = lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2);
        return [.. rows.SelectMany(row => Backticked().Matches(row.Split('|')[1]).Select(m => m.Groups[1].Value))];
    }

    /// <summary>A variable name with its placeholders made comparable: <c>Quotas__Tracks__&lt;slug&gt;__X</c> → <c>Quotas__Tracks__&lt;&gt;__X</c>.</summary>
    public static string Normalize(string variable) => Placeholder().Replace(variable, "<>");

    public static Dictionary<object, object> Compose() =>
        new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(Read("docker", "compose.yaml"));

    public static Dictionary<object, object> Map(object node, string key) => (Dictionary<object, object>)((Dictionary<object, object>)node)[key];

    public static List<object> List(object node, string key) =>
        ((Dictionary<object, object>)node).TryGetValue(key, out var value) ? (List<object>)value : [];

    public static Dictionary<object, object> Service(string name) => Map(Map(Compose(), "services"), name);

    public static Dictionary<string, string> Environment(string service) =>
        Service(service).TryGetValue("environment", out var environment)
            ? ((Dictionary<object, object>)environment).ToDictionary(e => (string)e.Key, e => (string)e.Value)
            : [];

    /// <summary>A service's mounts as (source, target, read-only), with <c>${…}</c> substitutions kept in the source.</summary>
    public static IReadOnlyList<(string Source, string Target, bool ReadOnly)> Mounts(string service) =>
    [
        .. List(Service(service), "volumes").Cast<string>().Select(volume =>
        {
            var substitutions = new List<string>();
            var masked = Substitution().Replace(volume, m => { substitutions.Add(m.Value); return "\0"; });
            var parts = masked.Split(':');
            var source = parts[0];
            foreach (var substitution in substitutions) source = ReplaceFirst(source, "\0", substitution);
            return (source, parts[1], parts.Length > 2 && parts[2] == "ro");
        }),
    ];

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        return text[..at] + with + text[(at + what.Length)..];
    }

    /// <summary>A Dockerfile's instructions (continuation lines joined, comments dropped), each split into stages by FROM.</summary>
    public static List<List<string>> Stages(string dockerfile)
    {
        var instructions = Continuation().Replace(Read("docker", dockerfile), " ").Split('\n')
            .Select(l => Spaces().Replace(l.Trim(), " ")).Where(l => l.Length > 0 && !l.StartsWith('#'));
        var stages = new List<List<string>>();
        foreach (var instruction in instructions)
        {
            if (instruction.StartsWith("FROM ", StringComparison.Ordinal)) stages.Add([]);
            stages[^1].Add(instruction);
        }
        return stages;
    }

    /// <summary>The variables a Dockerfile sets with ENV.</summary>
    public static Dictionary<string, string> ImageEnvironment(string dockerfile) =>
        Stages(dockerfile)[^1].Where(i => i.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(i => EnvAssignment().Matches(i).Select(m => (m.Groups[1].Value, m.Groups[2].Value)))
            .ToDictionary(a => a.Item1, a => a.Item2);

    /// <summary>The <c>dotnet</c> commands of a RUN instruction (split at &amp;&amp;).</summary>
    public static IEnumerable<string[]> DotnetCommands(string instruction) =>
        instruction.StartsWith("RUN ", StringComparison.Ordinal)
            ? instruction[4..].Split("&&").Select(c => c.Trim().Split(' ')).Where(c => c[0] == "dotnet")
            : [];

    [GeneratedRegex("`([^`]+)`")] private static partial Regex Backticked();
    [GeneratedRegex("<[^>]+>")] private static partial Regex Placeholder();
    [GeneratedRegex(@"\$\{[^}]*\}")] public static partial Regex Substitution();
    [GeneratedRegex(@"\\\n")] private static partial Regex Continuation();
    [GeneratedRegex(@"\s+")] private static partial Regex Spaces();
    [GeneratedRegex(@"(\w+)=(\S*)")] private static partial Regex EnvAssignment();
}

using System.Reflection;
using System.Text.RegularExpressions;
using Leaderboard.Jobs;
using Leaderboard.TestUtilities;
using static Leaderboard.Web.Tests.Deployment.DeploymentFiles;

namespace Leaderboard.Web.Tests.Deployment;

/// <summary>
/// docs/deploy.md's one table of variables against what the code reads, both ways: every options class bound from a
/// configuration section (its settable properties, dictionaries as &lt;key&gt;), every connection string, environment
/// variable and literal configuration key in src/; and the tables of ./lb's and the compose file's variables against
/// those files. The images and the compose file set no variable the docs do not name.
/// </summary>
public sealed partial class ConfigurationDocsTests
{
    [Fact]
    public void Every_variable_the_platform_reads_is_documented_and_every_documented_one_is_read()
    {
        var read = VariablesReadByCode().Select(Normalize).ToHashSet();
        var documented = DocumentedVariables("### Variables the platform reads").Select(Normalize).ToHashSet();

        Assert.Contains("Worker__GraceSeconds", read);
        Assert.Contains("Quotas__Tracks__<>__MaxActiveRuns", read);
        Assert.Contains("ConnectionStrings__Leaderboard", read);
        Assert.Contains("LB_ADMIN_TOKEN", read);
        Assert.True(read.IsSubsetOf(documented), "read by the code but not in docs/deploy.md: " + string.Join(", ", read.Except(documented)));
        Assert.True(documented.IsSubsetOf(read), "in docs/deploy.md but read by no code: " + string.Join(", ", documented.Except(read)));
    }

    [Fact]
    public void Every_variable_of_lb_is_documented_and_every_documented_one_is_read_by_lb()
    {
        var read = LbVariable().Matches(Read("lb")).Select(m => m.Groups[1].Value).ToHashSet();
        var documented = DocumentedVariables("### Variables of `./lb`").ToHashSet();

        Assert.Contains("LB_PG_PORT", read);
        Assert.Equal(read.Order(), documented.Order());
    }

    [Fact]
    public void Every_variable_the_compose_file_substitutes_is_documented_and_every_documented_one_is_used()
    {
        var used = Substitution().Matches(Read("docker", "compose.yaml")).Select(m => ComposeVariable().Match(m.Value).Groups[1].Value).ToHashSet();
        var documented = DocumentedVariables("### Variables of the compose file").ToHashSet();

        Assert.Contains("IMAGENET_DIR", used);
        Assert.Equal(used.Order(), documented.Order());
    }

    [Fact]
    public void The_images_and_the_compose_services_set_only_documented_variables()
    {
        var documented = DocumentedVariables("### Variables the platform reads").Concat(DocumentedVariables("### Variables of .NET, ASP.NET Core and the images"))
            .Select(Normalize).ToHashSet();
        var services = Map(Compose(), "services").Keys.Cast<string>();
        var set = services.SelectMany(s => Environment(s).Keys)
            .Concat(ImageEnvironment("web.Dockerfile").Keys).Concat(ImageEnvironment("worker.Dockerfile").Keys)
            .Select(Normalize).Select(v => DatasetKey().Replace(v, "__<>")).ToHashSet();

        Assert.Contains("Worker__DataRoot", set);
        Assert.True(set.IsSubsetOf(documented), "set but not documented: " + string.Join(", ", set.Except(documented)));
    }

    /// <summary>Every variable name src/ reads: options sections by reflection, the rest from the sources.</summary>
    private static IEnumerable<string> VariablesReadByCode()
    {
        var optionTypes = new[] { typeof(WorkerOptions).Assembly, typeof(Program).Assembly }.SelectMany(a => a.GetTypes())
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field ? (string)field.GetRawConstantValue()! : null))
            .Where(t => t.Section is not null);
        foreach (var (type, section) in optionTypes)
        {
            foreach (var key in SettingKeys(type, section!)) yield return key;
        }

        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        foreach (var source in sources)
        {
            foreach (Match match in ConnectionStringName().Matches(source)) yield return "ConnectionStrings__" + match.Groups[1].Value;
            foreach (Match match in EnvironmentRead().Matches(source)) yield return match.Groups[1].Value;
            foreach (Match match in ConfigurationKey().Matches(source)) yield return match.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal);
        }
    }

    /// <summary>How the configuration binder names a type's settings: settable properties, nested objects, dictionaries keyed by &lt;key&gt;.</summary>
    private static IEnumerable<string> SettingKeys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var name = $"{prefix}__{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                var valueType = propertyType.GetGenericArguments()[1];
                if (IsLeaf(valueType)) yield return name + "__<key>";
                else foreach (var key in SettingKeys(valueType, name + "__<key>")) yield return key;
            }
            else if (IsLeaf(propertyType)) yield return name;
            else foreach (var key in SettingKeys(propertyType, name)) yield return key;
        }
    }

    private static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }

    [GeneratedRegex(@"(?:GetConnectionString\(\s*|ConnectionStringName\s*=\s*)""(\w+)""")] private static partial Regex ConnectionStringName();
    [GeneratedRegex(@"GetEnvironmentVariable\(\s*""(\w+)""")] private static partial Regex EnvironmentRead();
    [GeneratedRegex(@"[Cc]onfiguration\[\s*""([^""]+)""\s*\]")] private static partial Regex ConfigurationKey();
    [GeneratedRegex(@"\$\{(LB_[A-Z_]+):-")] private static partial Regex LbVariable();
    [GeneratedRegex(@"^\$\{(\w+)")] private static partial Regex ComposeVariable();
    [GeneratedRegex(@"__imagenet1k$")] private static partial Regex DatasetKey();
}

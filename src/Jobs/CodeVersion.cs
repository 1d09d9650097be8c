using System.Reflection;

namespace Leaderboard.Jobs;

/// <summary>The platform's version recorded with every result (the informational version, with the commit when built from git).</summary>
public static class CodeVersion
{
    public static string Current { get; } =
        typeof(CodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}

namespace Leaderboard.TestUtilities;

public static class RepositoryPaths
{
    /// <summary>The checkout's root (where Leaderboard.sln is), found from the test assembly's folder.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Leaderboard.sln"))) return dir.FullName;
        throw new InvalidOperationException("Leaderboard.sln not found above " + AppContext.BaseDirectory);
    }
}

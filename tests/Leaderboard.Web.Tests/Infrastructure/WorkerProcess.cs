using System.Diagnostics;
using Leaderboard.TestUtilities;

namespace Leaderboard.Web.Tests.Infrastructure;

/// <summary>
/// A GPU-node-style worker (the Leaderboard.Jobs host) as its own process, joined to a test platform's Quartz cluster,
/// so a test can kill it the hard way.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public static WorkerProcess Start(PlatformFactory platform)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var host = Path.Combine(RepositoryPaths.Root, "src", "Jobs", "bin", configuration, "net10.0", "Leaderboard.Jobs.dll");
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(host);
        var environment = startInfo.Environment;
        environment["ConnectionStrings__Leaderboard"] = platform.ConnectionString;
        environment["Worker__ClusterName"] = platform.ClusterName;
        environment["Worker__DataRoot"] = platform.DataRoot;
        environment["Worker__Datasets__synthetic"] = SharedSyntheticDataset.Path;
        environment["Worker__TrainerPath"] = SharedSyntheticDataset.TrainerPath;
        environment["Worker__CheckinSeconds"] = "1";
        environment["Worker__CheckinMisfireSeconds"] = "3";
        var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process);
    }

    /// <summary>Dies as a crashed node does: no shutdown, no chance to mark anything (SIGKILL to it and its trainer).</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) KillHard();
        _process.Dispose();
    }
}

using System.Diagnostics;
using Leaderboard.TestUtilities;

namespace Leaderboard.Web.Tests.Infrastructure;

/// <summary>
/// A worker node (the Leaderboard.Jobs host, as ./lb worker starts it) as its own process on a test platform's
/// database, so a test can run several and kill one the hard way.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    private readonly Queue<string> _output = new();

    /// <summary>The worker's last log lines, for a failing test's message.</summary>
    public string RecentOutput
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200) _output.Dequeue();
        }
    }

    /// <param name="name">The node's name (unique among the test's workers).</param>
    /// <param name="settings">Extra Worker settings (e.g. TrainerPath for a fake trainer, NvidiaSmi for fake GPUs).</param>
    public static WorkerProcess Start(PlatformFactory platform, string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var host = Path.Combine(RepositoryPaths.Root, "src", "Jobs", "bin", configuration, "net10.0", "Leaderboard.Jobs.dll");
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(host);
        var environment = startInfo.Environment;
        environment["ConnectionStrings__Leaderboard"] = platform.ConnectionString;
        environment["Worker__NodeName"] = name;
        // A failed command is logged by EF and again by whoever handles it: keep the worker's recent output readable.
        environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Critical";
        environment["Worker__DataRoot"] = platform.DataRoot;
        environment["Worker__Datasets__synthetic"] = SharedSyntheticDataset.Path;
        environment["Worker__TrainerPath"] = SharedSyntheticDataset.TrainerPath;
        foreach (var (key, value) in PlatformFactory.TestWorkerSettings) environment[$"Worker__{key}"] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[$"Worker__{key}"] = value;
        var process = Process.Start(startInfo)!;
        var worker = new WorkerProcess(process, name);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Stops as an operator's restart or upgrade does (SIGTERM); returns its exit code once it has exited.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        using var patience = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(patience.Token);
        return _process.ExitCode;
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

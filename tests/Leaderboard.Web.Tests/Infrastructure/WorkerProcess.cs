using System.Diagnostics;
using Leaderboard.TestUtilities;

namespace Leaderboard.Web.Tests.Infrastructure;

/// <summary>
/// A worker node (the Leaderboard.Jobs host, as ./lb worker starts it) as its own process on a test platform's
/// database, so a test can run several and kill one the hard way.
/// </summary>
public sealed partial class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    private readonly Queue<string> _output = new();

    private readonly List<string> _all = [];
    private readonly TaskCompletionSource<Uri> _healthAddress = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The worker's last log lines, for a failing test's message.</summary>
    public string RecentOutput
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>Everything the worker wrote to stdout and stderr so far (JSON log lines, as in its container).</summary>
    public IReadOnlyList<string> Output
    {
        get { lock (_output) return [.. _all]; }
    }

    /// <summary>Where the node serves /health/* (Kestrel on a free port, read from its "Now listening on" log line).</summary>
    public Task<Uri> HealthAddress => _healthAddress.Task;

    private void Keep(string? line)
    {
        if (line is null) return;
        if (ListeningOn().Match(line) is { Success: true } match) _healthAddress.TrySetResult(new Uri(match.Groups[1].Value));
        lock (_output)
        {
            _all.Add(line);
            _output.Enqueue(line);
            while (_output.Count > 200) _output.Dequeue();
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Now listening on: (http://[^""\s]+)")]
    private static partial System.Text.RegularExpressions.Regex ListeningOn();

    /// <summary>The exit code of a worker that stops by itself (e.g. on a bad setting), or null if it still runs after the timeout.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <param name="name">The node's name (unique among the test's workers).</param>
    /// <param name="settings">Extra Worker settings (e.g. TrainerPath for a fake trainer, NvidiaSmi for fake GPUs).</param>
    /// <param name="environment">Other environment variables, by their full names (they win over the defaults here).</param>
    public static WorkerProcess Start(PlatformFactory platform, string name, IReadOnlyDictionary<string, string>? settings = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var host = Path.Combine(RepositoryPaths.Root, "src", "Jobs", "bin", configuration, "net10.0", "Leaderboard.Jobs.dll");
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add(host);
        var variables = startInfo.Environment;
        variables["ConnectionStrings__Leaderboard"] = platform.ConnectionString;
        // As in the worker image: JSON log lines with their scopes (a run's lines carry its RunId); health on a free port.
        variables["Logging__Console__FormatterName"] = "json";
        variables["Logging__Console__FormatterOptions__IncludeScopes"] = "true";
        variables["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        variables["Worker__NodeName"] = name;
        // A failed command is logged by EF and again by whoever handles it: keep the worker's recent output readable.
        variables["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Critical";
        variables["Worker__DataRoot"] = platform.DataRoot;
        variables["Worker__Datasets__synthetic"] = SharedSyntheticDataset.Path;
        variables["Worker__TrainerPath"] = SharedSyntheticDataset.TrainerPath;
        foreach (var (key, value) in PlatformFactory.TestWorkerSettings) variables[$"Worker__{key}"] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) variables[$"Worker__{key}"] = value;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) variables[key] = value;
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

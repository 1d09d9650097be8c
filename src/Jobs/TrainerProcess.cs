using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs;

/// <summary>
/// The trainer as a child process (lb-trainer): Web and Jobs never load libtorch. Running it apart is what makes the
/// budget enforceable (kill the process tree), isolates native crashes and frees the GPU after every run.
/// </summary>
public sealed class TrainerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _stderrTail = new();
    private readonly Action<string, string>? _output;
    private const int StderrTailLines = 20;

    private TrainerProcess(Process process, Action<string, string>? output)
    {
        _process = process;
        _output = output;
    }

    public int Id => _process.Id;

    /// <summary>CPU seconds the trainer's process tree has used so far (all threads, reaped children): a cpu-time budget's measure.</summary>
    public double CpuSeconds => ProcessTreeCpu.Seconds(_process.Id);
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the trainer wrote to stderr, for a failure reason.</summary>
    public string StderrTail
    {
        get { lock (_stderrTail) return string.Join('\n', _stderrTail); }
    }

    /// <param name="cudaVisibleDevices">The GPU the trainer may use (CUDA_VISIBLE_DEVICES); null on a CPU node.</param>
    /// <param name="output">Receives every line the trainer writes, with its stream (stdout | stderr), for the run's log.</param>
    public static TrainerProcess Start(WorkerOptions options, IEnumerable<string> arguments, string? cudaVisibleDevices = null, Action<string, string>? output = null)
    {
        var trainer = ResolveTrainerPath(options);
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (trainer.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            startInfo.FileName = "dotnet";
            startInfo.ArgumentList.Add(trainer);
        }
        else
        {
            startInfo.FileName = trainer;
        }
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        if (cudaVisibleDevices is not null) startInfo.Environment["CUDA_VISIBLE_DEVICES"] = cudaVisibleDevices;

        var process = new Process { StartInfo = startInfo };
        var trainerProcess = new TrainerProcess(process, output);
        process.ErrorDataReceived += (_, e) => trainerProcess.AddStderr(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        return trainerProcess;
    }

    public static string ResolveTrainerPath(WorkerOptions options)
    {
        var configured = options.TrainerPath ?? Environment.GetEnvironmentVariable("LB_TRAINER");
        if (configured is not null)
        {
            return File.Exists(configured) ? configured
                : throw new FileNotFoundException($"The trainer '{configured}' (Worker:TrainerPath / LB_TRAINER) does not exist: build it with ./lb build.");
        }
        // Development layout: find the trainer built beside this checkout.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(dir.FullName, "src", "Training", "Leaderboard.Trainer", "bin", configuration, "net10.0", "lb-trainer.dll");
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new FileNotFoundException("The trainer (lb-trainer) was not found: set Worker:TrainerPath or LB_TRAINER, or build it with ./lb build.");
    }

    /// <summary>The trainer's stdout, line by line, until it closes.</summary>
    public async IAsyncEnumerable<string> ReadLinesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            _output?.Invoke("stdout", line);
            yield return line;
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Asks the trainer to stop (SIGTERM): it finishes its step, writes a checkpoint and exits.</summary>
    public void Terminate()
    {
        // A trainer that exited meanwhile (ESRCH) needs no signal; one that ignores it is killed after the stop grace.
        if (!_process.HasExited) _ = Kill(_process.Id, SigTerm);
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    /// <summary>How a process killed by <paramref name="signal"/> ended, in words for a failure reason.</summary>
    public static string DescribeSignal(int signal) => signal switch
    {
        9 => "killed by signal 9 (SIGKILL: an operator, or the kernel's out-of-memory killer)",
        11 => "killed by signal 11 (SIGSEGV: a native crash)",
        6 => "killed by signal 6 (SIGABRT: a native abort)",
        7 => "killed by signal 7 (SIGBUS: a memory or disk fault)",
        15 => "killed by signal 15 (SIGTERM)",
        _ => $"killed by signal {signal}",
    };

    /// <summary>Kills the trainer and everything it started.</summary>
    public void KillTree()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
    }

    private void AddStderr(string? line)
    {
        if (line is null) return;
        _output?.Invoke("stderr", line);
        lock (_stderrTail)
        {
            _stderrTail.Enqueue(line);
            while (_stderrTail.Count > StderrTailLines) _stderrTail.Dequeue();
        }
    }

    public void Dispose()
    {
        KillTree();
        _process.Dispose();
    }
}

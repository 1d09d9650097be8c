using System.Globalization;
using System.Runtime.InteropServices;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Progress;

namespace Leaderboard.Trainer.Cli;

/// <summary>
/// <c>preflight RECIPE --dataset DIR --budget SECONDS</c>: the check a run gets before its budget starts (see
/// <see cref="Preflight"/>). Prints one line per measured size on stderr and the verdict as one JSON line on stdout
/// (<see cref="PreflightReport"/>); exit code 0 when it passed, 3 when it did not (1 and 2 stay errors and usage).
/// </summary>
public static class PreflightCommand
{
    public const int FailedExitCode = 3;

    public static int Run(CommandLine cl)
    {
        string recipePath = cl.Positional(0, "recipe file (preflight RECIPE --dataset DIR --budget SECONDS)");
        string datasetDir = cl.RequireOption("dataset");
        double budget = cl.DoubleOption("budget", double.NaN, 0.001);
        if (double.IsNaN(budget)) throw new UsageException("preflight: missing --budget SECONDS");
        string device = cl.Device();
        string? teacher = cl.Option("teacher");
        int? threads = cl.Option("threads") is null ? null : cl.IntOption("threads", 1);
        long? seed = cl.Option("seed") is null ? null : cl.IntOption("seed", 0, min: 0);
        int steps = cl.IntOption("steps", 5);
        double maxSeconds = cl.DoubleOption("max-seconds", 120);
        int? memoryLimitMb = cl.Option("memory-limit-mb") is null ? null : cl.IntOption("memory-limit-mb", 1);
        string clock = cl.Option("clock") ?? "wall";
        if (clock is not ("wall" or "cpu")) throw new UsageException($"preflight: --clock must be wall or cpu, got '{clock}'");
        cl.RejectUnknown(1);

        var recipe = TrainCommands.LoadRecipe(recipePath, datasetDir, device, seed, teacher);
        TorchThreads.Apply(threads);
        Runtime.Devices.Select(device); // libtorch loaded before a memory limit applies
        if (memoryLimitMb is int mb) LimitMemory(mb);
        var outDir = Directory.CreateTempSubdirectory("lb-preflight-").FullName;
        try
        {
            var report = Preflight.Run(new TrainOptions
            {
                Recipe = recipe, Dataset = datasetDir, BudgetSeconds = budget, OutDir = outDir, Device = device, Teacher = teacher,
                LoaderThreads = threads is int t ? Math.Max(1, Math.Min(t, Environment.ProcessorCount)) : null,
            }, steps, maxSeconds, cpuClock: clock == "cpu");
            foreach (var size in report.Sizes)
                Console.Error.WriteLine($"pre-flight: {size.ImageSize} px, batch {size.BatchSize}: {size.ImagesPerSecond.ToString("0.##", CultureInfo.InvariantCulture)} {(report.Clock == "cpu" ? "images per CPU-second" : "images/s")} over {size.Steps} steps, loss {size.Loss}");
            Console.Error.WriteLine($"pre-flight {(report.Passed ? "passed" : $"failed ({report.Failure})")} in {report.Seconds:0.#} s: {report.Reason}");
            Console.WriteLine(report.ToJsonLine());
            return report.Passed ? 0 : FailedExitCode;
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    /// <summary>
    /// Caps the address space this process may still map at <paramref name="megabytes"/> MB beyond what it maps now
    /// (RLIMIT_AS): an allocation past it fails in libtorch's allocator as on a machine out of memory. For CPU nodes that
    /// share memory between runs, and for tests that need an out-of-memory on any machine.
    /// </summary>
    private static void LimitMemory(int megabytes)
    {
        if (!OperatingSystem.IsLinux()) throw new UsageException("preflight: --memory-limit-mb needs Linux (RLIMIT_AS)");
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmSize:", StringComparison.Ordinal));
        ulong mappedKb = ulong.Parse(line["VmSize:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        if (getrlimit(RlimitAs, out var limit) != 0)
            throw new CommandFailedException($"preflight: getrlimit(RLIMIT_AS) failed with errno {Marshal.GetLastPInvokeError()}");
        limit.Current = Math.Min(limit.Max, (mappedKb + (ulong)megabytes * 1024) * 1024);
        if (setrlimit(RlimitAs, ref limit) != 0)
            throw new CommandFailedException($"preflight: setrlimit(RLIMIT_AS) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    private const int RlimitAs = 9; // Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref RLimit limit);
}

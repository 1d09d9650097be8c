using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Leaderboard.Jobs;

/// <summary>One GPU as nvidia-smi lists it.</summary>
public sealed record Gpu(string Index, string Name, int? MemoryMib, string DriverVersion, double? PowerLimitWatts = null);

/// <summary>
/// What a worker node trains on, found with nvidia-smi: its GPUs, or none (a CPU node); with the rest of its hardware
/// fingerprint (CUDA version, power limit, CPU model and cores) recorded with every result it produces.
/// </summary>
public sealed record NodeHardware(string HardwareClass, IReadOnlyList<string> GpuIndexes, string? GpuModel, int? GpuMemoryMib, string? DriverVersion, int CpuSlots)
{
    /// <summary>The highest CUDA version the driver supports (nvidia-smi's header).</summary>
    public string? CudaVersion { get; init; }
    public double? PowerLimitWatts { get; init; }
    public string CpuModel { get; init; } = ReadCpuModel();
    /// <summary>Cores this process may use (its affinity mask).</summary>
    public int CpuCores { get; init; } = Environment.ProcessorCount;

    public const string Cpu = "cpu";
    public const string Gpu = "gpu";

    public bool HasGpus => GpuIndexes.Count > 0;

    /// <summary>Runs at once: one per GPU.</summary>
    public int Slots => HasGpus ? GpuIndexes.Count : CpuSlots;

    /// <summary>The trainer's --device.</summary>
    public string Device => HasGpus ? "cuda" : "cpu";

    public static NodeHardware Discover(WorkerOptions options, ILogger logger)
    {
        var cpu = new NodeHardware(Cpu, [], null, null, null, Math.Max(1, options.Concurrency));
        var query = QueryGpus(options.NvidiaSmi);
        if (query.Csv is null)
        {
            if (query.Installed) logger.LogWarning("{NvidiaSmi} failed ({Error}); this node serves the CPU class", options.NvidiaSmi, query.Failure);
            else logger.LogInformation("No {NvidiaSmi} on this node: it serves the CPU class", options.NvidiaSmi);
            return cpu;
        }
        return Parse(query.Csv) is { } gpus ? gpus with { CudaVersion = QueryCudaVersion(options.NvidiaSmi) } : cpu;
    }

    /// <summary>The CPU's model name from /proc/cpuinfo ("unknown CPU" where there is none).</summary>
    public static string ReadCpuModel()
    {
        var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
    }

    /// <summary>"CUDA Version: 12.4" from nvidia-smi's header; null when it does not say.</summary>
    public static string? ParseCudaVersion(string header) =>
        System.Text.RegularExpressions.Regex.Match(header, @"CUDA Version:\s*([0-9.]+)") is { Success: true } match ? match.Groups[1].Value : null;

    private static string? QueryCudaVersion(string nvidiaSmi) => RunNvidiaSmi(nvidiaSmi, []).Csv is { } header ? ParseCudaVersion(header) : null;

    /// <summary>nvidia-smi's answer: its CSV, or why there is none (not installed, or it failed).</summary>
    public sealed record GpuQuery(string? Csv, bool Installed, string? Failure);

    /// <summary>Runs nvidia-smi's GPU query (index, name, memory.total in MiB, driver_version, power.limit in W).</summary>
    public static GpuQuery QueryGpus(string nvidiaSmi) =>
        RunNvidiaSmi(nvidiaSmi, ["--query-gpu=index,name,memory.total,driver_version,power.limit", "--format=csv,noheader,nounits"]);

    private static GpuQuery RunNvidiaSmi(string nvidiaSmi, string[] arguments)
    {
        try
        {
            var startInfo = new ProcessStartInfo(nvidiaSmi) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
            using var process = Process.Start(startInfo)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                return new GpuQuery(null, true, $"{nvidiaSmi} did not answer within 30 s");
            }
            return process.ExitCode == 0 ? new GpuQuery(output, true, null)
                : new GpuQuery(null, true, $"exit code {process.ExitCode}: {error.Result.Trim()}");
        }
        catch (Win32Exception)
        {
            return new GpuQuery(null, false, $"{nvidiaSmi} was not found");
        }
    }

    /// <summary>Parses nvidia-smi's CSV (index, name, memory.total in MiB, driver_version[, power.limit in W]), one GPU a line.</summary>
    public static IReadOnlyList<Gpu> ParseGpus(string csv) =>
    [
        .. csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length >= 4)
            .Select(f => new Gpu(f[0], f[1], int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib) ? mib : null, f[3],
                f.Length > 4 && double.TryParse(f[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var watts) ? watts : null)),
    ];

    /// <summary>A GPU node of the GPUs in nvidia-smi's CSV; null when it lists none.</summary>
    public static NodeHardware? Parse(string csv)
    {
        var gpus = ParseGpus(csv);
        if (gpus.Count == 0) return null;
        var first = gpus[0];
        return new NodeHardware(Gpu, [.. gpus.Select(g => g.Index)], first.Name, first.MemoryMib, first.DriverVersion, 0) { PowerLimitWatts = first.PowerLimitWatts };
    }
}

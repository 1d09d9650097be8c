using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Leaderboard.Jobs;

/// <summary>What a worker node trains on, found with nvidia-smi: its GPUs, or none (a CPU node).</summary>
public sealed record NodeHardware(string HardwareClass, IReadOnlyList<string> GpuIndexes, string? GpuModel, int? GpuMemoryMib, string? DriverVersion, int CpuSlots)
{
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
        string output;
        try
        {
            var startInfo = new ProcessStartInfo(options.NvidiaSmi) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "--query-gpu=index,name,memory.total,driver_version", "--format=csv,noheader,nounits" })
                startInfo.ArgumentList.Add(argument);
            using var process = Process.Start(startInfo)!;
            output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)) || process.ExitCode != 0)
            {
                logger.LogWarning("{NvidiaSmi} failed ({Error}); this node serves the CPU class", options.NvidiaSmi, error.Trim());
                return cpu;
            }
        }
        catch (Win32Exception)
        {
            logger.LogInformation("No {NvidiaSmi} on this node: it serves the CPU class", options.NvidiaSmi);
            return cpu;
        }
        return Parse(output) ?? cpu;
    }

    /// <summary>Parses nvidia-smi's CSV (index, name, memory.total in MiB, driver_version); null when it lists no GPU.</summary>
    public static NodeHardware? Parse(string csv)
    {
        var gpus = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length >= 4)
            .ToList();
        if (gpus.Count == 0) return null;
        var first = gpus[0];
        int? memory = int.TryParse(first[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mib) ? mib : null;
        return new NodeHardware(Gpu, [.. gpus.Select(g => g[0])], first[1], memory, first[3], 0);
    }
}

using System.Reflection;
using System.Runtime.InteropServices;

namespace Leaderboard.Trainer.Runtime;

/// <summary>
/// Loads TorchSharp's native glue (libLibTorchSharp.so, and through it libtorch) from the build output before anything
/// touches TorchSharp. When the OS loader refuses it, TorchSharp itself would report that the application "doesn't
/// contain a reference to libtorch-cpu-linux-x64" after copying ~478 MB of libraries into bin/; this fails first, with
/// the loader's own reason (e.g. a missing GLIBCXX version) and what to do about it.
/// </summary>
public static partial class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool loaded;

    /// <summary>TorchSharp's version (the assembly's informational version, without the source hash).</summary>
    public static string TorchSharpVersion =>
        (typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?").Split('+')[0];

    /// <summary>"TorchSharp 0.107.0, libtorch 2.10.0": what the trainer reports and records in checkpoints.</summary>
    public static string Description => $"TorchSharp {TorchSharpVersion}, libtorch {__version__}";

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (loaded) return;
            // libtorch's OpenMP threads spin between parallel regions by default. Next to the loader's decode threads
            // (or other processes) on the same cores the spinning starves everyone: deit_tiny at 32 px trained at
            // 11 img/s instead of 212 on a busy 2-core machine. PASSIVE lets waiting threads sleep. libgomp reads it
            // when it loads (with libtorch, just below), through the C environment; an explicit setting wins.
            if (SetEnvironmentDefault("OMP_WAIT_POLICY", "PASSIVE", overwrite: 0) != 0)
                throw new TorchLoadException("setenv(OMP_WAIT_POLICY) failed");
            Load(FindGlue());
            loaded = true;
        }
    }

    /// <summary>dlopen()s the glue at <paramref name="glue"/>; the loader's refusal becomes one actionable message.</summary>
    internal static void Load(string glue)
    {
        try
        {
            NativeLibrary.Load(glue);
        }
        catch (DllNotFoundException e)
        {
            throw new TorchLoadException(
                $"libtorch did not load: {e.Message.ReplaceLineEndings(" ")}. " +
                (e.Message.Contains("GLIBCXX_", StringComparison.Ordinal)
                    ? "The system's libstdc++ is older than TorchSharp's glue asks for; the build marks that need weak in its copy (src/Training/TorchSharp.targets): rebuild (./lb build). See README.md, Troubleshooting."
                    : "See README.md, Troubleshooting."));
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironmentDefault(string name, string value, int overwrite);

    /// <summary>The glue as the build laid it out: runtimes/linux-x64/native/ (portable build) or beside the assembly (RID-specific publish).</summary>
    private static string FindGlue()
    {
        string baseDir = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(baseDir, "libLibTorchSharp.so"),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new TorchLoadException($"TorchSharp's native library (libLibTorchSharp.so) is not in the build output {baseDir}: build the trainer (./lb build) so that the TorchSharp and libtorch-cpu-linux-x64 packages are restored and copied.");
    }
}

/// <summary>libtorch could not be loaded; the message names the cause.</summary>
public sealed class TorchLoadException(string message) : Exception(message);

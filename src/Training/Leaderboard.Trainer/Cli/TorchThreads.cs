using System.Runtime.InteropServices;

namespace Leaderboard.Trainer.Cli;

/// <summary>
/// LOCAL HELPER until the binding exposes torch.set_num_threads: calls libtorch's <c>at::set_num_threads(int)</c>
/// (C++ symbol <c>_ZN2at15set_num_threadsEi</c> in libtorch_cpu) directly. Used by <c>--threads</c>.
/// </summary>
internal static partial class TorchThreads
{
    [LibraryImport("libtorch_cpu.so", EntryPoint = "_ZN2at15set_num_threadsEi")]
    private static partial void SetNumThreads(int threads);

    [LibraryImport("libtorch_cpu.so", EntryPoint = "_ZN2at15get_num_threadsEv")]
    private static partial int GetNumThreads();

    public static void Set(int threads)
    {
        _ = Leaderboard.Torch.torch.__version__; // loads the shim (and libtorch) first
        SetNumThreads(threads);
    }

    public static int Get()
    {
        _ = Leaderboard.Torch.torch.__version__;
        try
        {
            return GetNumThreads();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }
}

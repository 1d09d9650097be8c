using System.Runtime.InteropServices;

namespace Leaderboard.Torch.Native;

/// <summary>P/Invoke for lb_cuda_* (src/Training/Native/src/cuda.cpp).</summary>
internal static class CudaNative
{
    private const string Lib = LibTorch.Lib;

    static CudaNative() => LibTorch.Init();

    [DllImport(Lib)] internal static extern int lb_cuda_is_available();
    [DllImport(Lib)] internal static extern long lb_cuda_device_count();
    [DllImport(Lib)] internal static extern int lb_cuda_has_cuda_build();
    [DllImport(Lib)] internal static extern void lb_cuda_synchronize(long device);
    [DllImport(Lib)] internal static extern long lb_cuda_memory_stat(long device, int which);
    [DllImport(Lib)] internal static extern void lb_cuda_reset_peak_memory_stats(long device);
    [DllImport(Lib)] internal static extern void lb_cuda_empty_cache();
    [DllImport(Lib)] internal static extern void lb_cuda_set_flags(int allowTf32, int cudnnBenchmark);
}

using System.Runtime.InteropServices;

namespace Leaderboard.Torch.Native;

/// <summary>P/Invoke for lb_amp_* (src/Training/Native/src/amp.cpp).</summary>
internal static class AmpNative
{
    private const string Lib = LibTorch.Lib;

    static AmpNative() => LibTorch.Init();

    [DllImport(Lib)] internal static extern int lb_amp_autocast_is_enabled(int devType);
    [DllImport(Lib)] internal static extern int lb_amp_autocast_get_dtype(int devType);
    [DllImport(Lib)] internal static extern void lb_amp_autocast_set(int devType, int enabled, int dtype);
    [DllImport(Lib)] internal static extern int lb_amp_autocast_increment_nesting();
    [DllImport(Lib)] internal static extern void lb_amp_autocast_decrement_nesting();
}

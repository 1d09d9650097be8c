using System.Runtime.InteropServices;

namespace Leaderboard.Torch.Native;

/// <summary>P/Invoke for lb_autograd_* (src/Training/Native/src/autograd.cpp).</summary>
internal static class AutogradNative
{
    private const string Lib = LibTorch.Lib;

    static AutogradNative() => LibTorch.Init();

    [DllImport(Lib)] internal static extern int lb_autograd_is_grad_enabled();
    [DllImport(Lib)] internal static extern int lb_autograd_set_grad_enabled(int enabled);
    [DllImport(Lib)] internal static extern void lb_autograd_backward(IntPtr t, IntPtr grad, int retainGraph);
    [DllImport(Lib)] internal static extern IntPtr lb_autograd_grad(IntPtr t);
    [DllImport(Lib)] internal static extern void lb_autograd_set_grad(IntPtr t, IntPtr g);
    [DllImport(Lib)] internal static extern int lb_autograd_is_leaf(IntPtr t);
}

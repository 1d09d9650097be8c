using System.Runtime.InteropServices;

namespace Leaderboard.Torch.Native;

/// <summary>P/Invoke for lb_optim_* (src/Training/Native/src/optim.cpp).</summary>
internal static unsafe class OptimNative
{
    private const string Lib = LibTorch.Lib;

    static OptimNative() => LibTorch.Init();

    [DllImport(Lib)] internal static extern void lb_optim_adamw_step(IntPtr* parameters, IntPtr* expAvg, IntPtr* expAvgSq, long* steps, long n, double lr, double beta1, double beta2, double eps, double weightDecay, int maximize);
    [DllImport(Lib)] internal static extern void lb_optim_sgd_step(IntPtr* parameters, IntPtr* momentumBuffers, long n, double lr, double momentum, double dampening, double weightDecay, int nesterov, int maximize);
    [DllImport(Lib)] internal static extern double lb_optim_clip_grad_norm(IntPtr* parameters, long n, double maxNorm, double normType);
    [DllImport(Lib)] internal static extern int lb_optim_unscale_grads(IntPtr* parameters, long n, double invScale);
}

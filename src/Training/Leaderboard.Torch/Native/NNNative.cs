using System.Runtime.InteropServices;

namespace Leaderboard.Torch.Native;

/// <summary>P/Invoke for lb_nn_* (src/Training/Native/src/nn.cpp).</summary>
internal static unsafe class NNNative
{
    private const string Lib = LibTorch.Lib;

    static NNNative() => LibTorch.Init();

    [DllImport(Lib)] internal static extern IntPtr lb_nn_linear(IntPtr x, IntPtr w, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_layer_norm(IntPtr x, long* shape, int n, IntPtr w, IntPtr b, double eps);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_batch_norm(IntPtr x, IntPtr w, IntPtr b, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_dropout(IntPtr x, double p, int training);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_conv2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* dilation, long groups);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_avg_pool2d(IntPtr x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_max_pool2d(IntPtr x, long* kernel, long* stride, long* padding);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_adaptive_avg_pool2d(IntPtr x, long oh, long ow);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_cross_entropy(IntPtr logits, IntPtr target, IntPtr weight, long reduction, long ignoreIndex, double labelSmoothing);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_mse_loss(IntPtr x, IntPtr y, long reduction);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_pad(IntPtr x, long* pad, int n, int mode, double value);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_interpolate(IntPtr x, long oh, long ow, double scaleH, double scaleW, int mode, int alignCorners);
    [DllImport(Lib)] internal static extern IntPtr lb_nn_scaled_dot_product_attention(IntPtr q, IntPtr k, IntPtr v, IntPtr mask, double dropoutP, int isCausal, double scale, int forceMath);
    [DllImport(Lib)] internal static extern int lb_nn_has_fused_attention();
}

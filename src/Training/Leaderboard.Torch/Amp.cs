using Leaderboard.Torch.Native;

namespace Leaderboard.Torch;

public static partial class torch
{
    /// <summary>
    /// A mixed-precision region on this thread (as torch.autocast): eligible ops (matmul, linear, conv…) on
    /// <paramref name="device_type"/> run in <paramref name="dtype"/>. On libtorch 1.13 the CPU supports bfloat16.
    /// </summary>
    public static IDisposable autocast(DeviceType device_type, ScalarType dtype, bool enabled = true) =>
        new AutocastGuard(device_type, dtype, enabled);

    public static IDisposable autocast(Device device, ScalarType dtype, bool enabled = true) => autocast(device.type, dtype, enabled);

    public static bool is_autocast_enabled(DeviceType device_type)
    {
        var v = AmpNative.lb_amp_autocast_is_enabled((int)device_type);
        LibTorch.Check();
        return v != 0;
    }

    private sealed class AutocastGuard : IDisposable
    {
        private readonly DeviceType device;
        private readonly bool prevEnabled;
        private readonly int prevDtype;
        private bool disposed;

        public AutocastGuard(DeviceType device, ScalarType dtype, bool enabled)
        {
            this.device = device;
            prevEnabled = AmpNative.lb_amp_autocast_is_enabled((int)device) != 0;
            LibTorch.Check();
            prevDtype = AmpNative.lb_amp_autocast_get_dtype((int)device);
            LibTorch.Check();
            AmpNative.lb_amp_autocast_set((int)device, enabled ? 1 : 0, (int)dtype);
            LibTorch.Check();
            _ = AmpNative.lb_amp_autocast_increment_nesting();
            LibTorch.Check();
        }

        public void Dispose()
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            AmpNative.lb_amp_autocast_decrement_nesting();
            LibTorch.Check();
            AmpNative.lb_amp_autocast_set((int)device, prevEnabled ? 1 : 0, prevDtype);
            LibTorch.Check();
        }
    }
}

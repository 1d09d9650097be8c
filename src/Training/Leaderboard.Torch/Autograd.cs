using Leaderboard.Torch.Native;

namespace Leaderboard.Torch;

public static partial class torch
{
    /// <summary>Turns gradient recording off on this thread until disposed (restores the previous mode).</summary>
    public static IDisposable no_grad() => new GradModeGuard(false);

    /// <summary>Turns gradient recording on on this thread until disposed (restores the previous mode).</summary>
    public static IDisposable enable_grad() => new GradModeGuard(true);

    public static bool is_grad_enabled()
    {
        var v = AutogradNative.lb_autograd_is_grad_enabled();
        LibTorch.Check();
        return v != 0;
    }

    private sealed class GradModeGuard : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        public GradModeGuard(bool enabled)
        {
            previous = AutogradNative.lb_autograd_set_grad_enabled(enabled ? 1 : 0) != 0;
            LibTorch.Check();
        }

        public void Dispose()
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            _ = AutogradNative.lb_autograd_set_grad_enabled(previous ? 1 : 0);
            LibTorch.Check();
        }
    }
}

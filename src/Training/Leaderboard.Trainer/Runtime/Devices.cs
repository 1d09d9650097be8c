namespace Leaderboard.Trainer.Runtime;

/// <summary>The device a verb runs on: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (the <c>--device</c> option).</summary>
public static class Devices
{
    public static Device Select(string name)
    {
        TorchRuntime.EnsureLoaded();
        var device = new Device(name);
        if (device.type == DeviceType.CUDA)
        {
            if (!cuda.is_available())
                throw new InvalidOperationException($"--device {name} was asked for, but libtorch sees no usable CUDA device (CPU-only libtorch, or no driver)");
            if (device.index >= cuda.device_count())
                throw new InvalidOperationException($"--device {name}: there are only {cuda.device_count()} CUDA devices");
        }
        return torch.device(device.type, device.index);
    }
}

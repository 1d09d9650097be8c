namespace Leaderboard.Trainer.Cli;

/// <summary>
/// libtorch's intra-op threads: as asked with <c>--threads</c>, else one per core. Debian's libtorch starts with one
/// thread on some machines (measured here: deit_tiny 64 px batch 64 trains at 112 img/s on 1 thread, 192 on 2).
/// </summary>
internal static class TorchThreads
{
    public static void Apply(int? requested) => Leaderboard.Torch.torch.set_num_threads(requested ?? Environment.ProcessorCount);

    public static int Get() => Leaderboard.Torch.torch.get_num_threads();
}

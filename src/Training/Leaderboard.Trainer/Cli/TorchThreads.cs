namespace Leaderboard.Trainer.Cli;

/// <summary>
/// libtorch's intra-op threads: as asked with <c>--threads</c>, else one per core. libtorch may start with one
/// thread on some machines (measured here: deit_tiny 64 px batch 64 trains at 112 img/s on 1 thread, 192 on 2).
/// </summary>
internal static class TorchThreads
{
    /// <summary>Loads libtorch (failing with its real reason) and sets the thread count; the first torch call of a verb.</summary>
    public static void Apply(int? requested)
    {
        Runtime.TorchRuntime.EnsureLoaded();
        torch.set_num_threads(requested ?? Environment.ProcessorCount);
    }

    public static int Get() => torch.get_num_threads();
}

using System.Runtime.CompilerServices;

namespace Leaderboard.Trainer.Tests;

internal static class TorchRuntimeFixture
{
    /// <summary>libtorch from the test output, loaded the trainer's way before any test touches TorchSharp.</summary>
    [ModuleInitializer]
    internal static void Load() => Leaderboard.Trainer.Runtime.TorchRuntime.EnsureLoaded();
}

namespace Leaderboard.Trainer.Tests;

/// <summary>
/// In-process libtorch tests run one at a time: some count live native tensors or watch process memory, which
/// parallel tests would disturb, and the machine's cores are better spent on one model at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}

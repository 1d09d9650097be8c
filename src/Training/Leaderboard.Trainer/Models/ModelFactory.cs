using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Models;

/// <summary>The model a recipe's model section describes: a <see cref="HydraVisionTransformer"/> with <c>model.hydra</c>
/// (at its largest trained sub-network, e.g. as a teacher), else a <see cref="VisionTransformer"/>.</summary>
public static class ModelFactory
{
    public static nn.Module<Tensor, Tensor> Create(ModelSpec spec, ModelConfig config, int baseImageSize) => spec.Hydra is { } hydra
        ? new HydraVisionTransformer(config, baseImageSize) { ActiveHeads = hydra.MaxHeads ?? config.Heads }
        : new VisionTransformer(config, baseImageSize);
}

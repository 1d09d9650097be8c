using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Models;

/// <summary>The model a recipe's model section describes: a <see cref="HydraVisionTransformer"/> with <c>model.hydra</c>, else a <see cref="VisionTransformer"/>.</summary>
public static class ModelFactory
{
    public static nn.Module<Tensor, Tensor> Create(ModelSpec spec, ModelConfig config, int baseImageSize) =>
        spec.Hydra is null ? new VisionTransformer(config, baseImageSize) : new HydraVisionTransformer(config, baseImageSize);
}

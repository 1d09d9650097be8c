using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Models;

/// <summary>What the trainer, the evaluator and distillation need of a model: its config and its head logits.</summary>
public abstract class ImageClassifier(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract ModelConfig Config { get; }

    /// <summary>The class head's logits [B, C] and, with a distillation token, the distillation head's (training uses both).</summary>
    public abstract (Tensor Cls, Tensor? Dist) ForwardHeads(Tensor input);

    /// <summary>
    /// The model a config describes: a HydraViT with <paramref name="hydra"/> (at its largest trained sub-network, e.g. as a
    /// teacher), a BinaryViT when <see cref="ModelConfig.Binary"/> is set, else the ViT / DeiT family.
    /// </summary>
    public static ImageClassifier Create(ModelConfig config, int baseImageSize, Leaderboard.Training.Recipes.HydraSpec? hydra = null) =>
        hydra is not null ? new HydraVisionTransformer(config, baseImageSize) { ActiveHeads = hydra.MaxHeads ?? config.Heads }
        : config.Binary is null ? new VisionTransformer(config, baseImageSize)
        : new Binary.BinaryVisionTransformer(config, baseImageSize);
}

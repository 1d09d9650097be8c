using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Tests.Models;

/// <summary>Builders of tiny model configs with sensible defaults for tests.</summary>
public static class TinyModels
{
    public const int ImageSize = 16;

    public static ModelConfig Config(string ffn = "mlp", string tokenizer = "patch", string attention = "mhsa", string pooling = "cls",
        bool distillation = false, double? layerScale = null, int classes = 5, double dropPath = 0, double dropout = 0) =>
        new(EmbedDim: 32, Depth: 2, Heads: 2, MlpRatio: 2, PatchSize: 4, NumClasses: classes, Pooling: pooling, Dropout: dropout,
            DropPath: dropPath, LayerScale: layerScale, Ffn: ffn, Tokenizer: tokenizer, Attention: attention, DistillationToken: distillation);

    /// <summary>Every combination of ffn × tokenizer × attention × pooling × distillation × layer scale.</summary>
    public static IEnumerable<object?[]> AllOptions()
    {
        foreach (var ffn in new[] { "mlp", "locality", "localvit" })
            foreach (var tokenizer in new[] { "patch", "spt" })
                foreach (var attention in new[] { "mhsa", "lsa" })
                    foreach (var pooling in new[] { "cls", "gap" })
                        foreach (var distillation in new[] { false, true })
                            foreach (var layerScale in new double?[] { null, 0.1 })
                                yield return [ffn, tokenizer, attention, pooling, distillation, layerScale];
    }
}

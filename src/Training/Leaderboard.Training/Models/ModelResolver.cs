using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Models;

/// <summary>Dimensions of a named model variant.</summary>
public sealed record VariantDims(int EmbedDim, int Depth, int Heads);

/// <summary>Turns a recipe's <see cref="ModelSpec"/> into a <see cref="ModelConfig"/>: variant dims, overridden by explicit ones.</summary>
public static class ModelResolver
{
    /// <summary>The named variants (DeiT, Touvron et al. 2021): tiny 192×12×3, small 384×12×6, base 768×12×12.</summary>
    public static IReadOnlyDictionary<string, VariantDims> Variants { get; } = new Dictionary<string, VariantDims>
    {
        ["tiny"] = new(192, 12, 3),
        ["small"] = new(384, 12, 6),
        ["base"] = new(768, 12, 12),
    };

    /// <summary>The dims a variant supplies; <c>custom</c> (and unknown names) supply none (zeros).</summary>
    public static VariantDims VariantDims(string variant) => Variants.TryGetValue(variant, out var dims) ? dims : new(0, 0, 0);

    /// <exception cref="ArgumentException">the variant is unknown, or custom without all of embed_dim, depth, heads
    /// (<see cref="RecipeValidator"/> reports both as field errors first).</exception>
    public static ModelConfig Resolve(ModelSpec spec, int numClasses)
    {
        if (spec.Variant != "custom" && !Variants.ContainsKey(spec.Variant))
            throw new ArgumentException($"unknown model variant '{spec.Variant}'", nameof(spec));
        var dims = VariantDims(spec.Variant);
        var binary = spec.Binary is { } b ? BinaryConfig.From(b) : null;
        int embed = spec.EmbedDim ?? dims.EmbedDim, depth = binary?.Depths.Sum() ?? spec.Depth ?? dims.Depth, heads = spec.Heads ?? dims.Heads;
        if (embed <= 0 || depth <= 0 || heads <= 0)
            throw new ArgumentException("a custom model needs embed_dim, depth and heads", nameof(spec));
        return new ModelConfig(embed, depth, heads, spec.MlpRatio, spec.PatchSize, numClasses,
            spec.Pooling, spec.Dropout, spec.DropPath, spec.LayerScale, spec.Ffn, spec.Tokenizer, spec.Attention, spec.DistillationToken, spec.Init,
            spec.PosEmbed, spec.ZeroHead, binary);
    }
}

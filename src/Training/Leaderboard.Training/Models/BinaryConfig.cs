using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Models;

/// <summary>
/// The BinaryViT pyramid (Le &amp; Li 2023) of a <see cref="ModelConfig"/>: stage i has <see cref="Depths"/>[i] blocks of
/// width EmbedDim·2ⁱ with Heads·2ⁱ heads and an FFN of ⌊width·MlpRatio⌋ units; the token grid halves between stages.
/// </summary>
public sealed record BinaryConfig(IReadOnlyList<int> Depths, IReadOnlyList<int> PoolKernels, bool FullPrecisionDownsample, double AffineInit)
{
    public int Stages => Depths.Count;

    public static BinaryConfig From(BinarySpec spec) => new(
        spec.Depths.Select(d => (int)d).ToArray(), spec.PoolKernels.Select(k => (int)k).ToArray(), spec.FullPrecisionDownsample, spec.AffineInit);

    public static int StageWidth(ModelConfig c, int stage) => c.EmbedDim << stage;
    public static int StageHeads(ModelConfig c, int stage) => c.Heads << stage;
    public static int StageHidden(ModelConfig c, int stage) => (int)(StageWidth(c, stage) * c.MlpRatio);

    /// <summary>The factor by which the grid shrinks from the stem to the last stage (2 per downsampling).</summary>
    public int Reduction => 1 << (Stages - 1);

    // Value equality for the lists (a record compares them by reference).
    public bool Equals(BinaryConfig? other) =>
        other is not null && Depths.SequenceEqual(other.Depths) && PoolKernels.SequenceEqual(other.PoolKernels)
        && FullPrecisionDownsample == other.FullPrecisionDownsample && AffineInit.Equals(other.AffineInit);

    public override int GetHashCode() => HashCode.Combine(Stages, PoolKernels.Count, FullPrecisionDownsample, AffineInit);
}

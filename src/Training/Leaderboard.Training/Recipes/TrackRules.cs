namespace Leaderboard.Training.Recipes;

/// <summary>
/// What a track allows a recipe to do, for <see cref="RecipeValidator"/>: the dataset's class count, the largest image
/// size (training and evaluation), and whether the track runs on a GPU (fp16 needs one; bf16 and fp32 run anywhere).
/// </summary>
public sealed record TrackRules(int NumClasses, int MaxImageSize = 512, bool Gpu = true)
{
    /// <summary>ImageNet-1k tracks (DESIGN.md "Tracks"): 1000 classes, GPU.</summary>
    public static TrackRules ImageNet1k { get; } = new(1000, 384, Gpu: true);

    /// <summary>The <c>synthetic-cpu-2min</c> track: 10 classes, images up to 64 px, CPU.</summary>
    public static TrackRules SyntheticCpu { get; } = new(10, 64, Gpu: false);
}

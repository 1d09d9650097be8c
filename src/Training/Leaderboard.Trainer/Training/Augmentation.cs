using Leaderboard.Imaging.Transforms;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

public static class Augmentation
{
    /// <summary>A recipe's per-image augmentation: its preset, with the recipe's crop and flip.</summary>
    public static TrainAugmentOptions FromRecipe(DataSpec data) => AugmentPresets.Get(data.Augment) with
    {
        Crop = data.Crop.Mode switch
        {
            "random_resized" => CropMode.RandomResized,
            "padded" => CropMode.Padded,
            "center" => CropMode.Center,
            _ => throw new ArgumentException($"unknown data.crop.mode '{data.Crop.Mode}' (random_resized, padded, center)", nameof(data)),
        },
        ScaleMin = data.Crop.ScaleMin,
        ScaleMax = data.Crop.ScaleMax,
        RatioMin = data.Crop.AspectMin,
        RatioMax = data.Crop.AspectMax,
        Padding = data.Crop.Padding,
        HorizontalFlip = data.Flip,
    };
}

using Leaderboard.Imaging.Transforms;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

public class AugmentationTests
{
    [Fact]
    public void The_recipe_crop_and_flip_replace_the_presets()
    {
        var data = new DataSpec
        {
            Augment = "light",
            Crop = new CropSpec { Mode = "padded", Padding = 3, ScaleMin = 0.35, ScaleMax = 0.9, AspectMin = 0.8, AspectMax = 1.25 },
            Flip = 0,
        };
        var options = Augmentation.FromRecipe(data);
        Assert.Equal((CropMode.Padded, 3, 0.0), (options.Crop, options.Padding, options.HorizontalFlip));
        Assert.Equal((0.35, 0.9, 0.8, 1.25), (options.ScaleMin, options.ScaleMax, options.RatioMin, options.RatioMax));
        Assert.Equal(AugmentPresets.Get("light").RandAugmentMagnitude, options.RandAugmentMagnitude); // the rest is the preset's
    }

    [Fact]
    public void The_defaults_are_the_inception_crop_and_a_coin_flip()
    {
        var options = Augmentation.FromRecipe(new DataSpec { Augment = "none" });
        Assert.Equal(AugmentPresets.Get("none"), options);
    }
}

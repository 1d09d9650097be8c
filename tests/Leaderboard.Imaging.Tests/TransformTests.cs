using Leaderboard.Imaging;
using Leaderboard.Imaging.Transforms;

namespace Leaderboard.Imaging.Tests;

public class TransformTests
{
    private static readonly TrainAugmentOptions Plain = AugmentPresets.Get("none") with { HorizontalFlip = 0 };

    [Fact]
    public void Train_transform_writes_normalised_chw_in_range()
    {
        var image = TestImages.Gradient(80, 60);
        var dst = new float[3 * 32 * 32];
        new TrainTransform(AugmentPresets.Get("deit")).Apply(image, 32, new Random(1), dst);
        var lo = (0 - 0.485f) / 0.229f - 1e-4f;
        var hi = (1 - 0.406f) / 0.225f + 1e-4f;
        Assert.All(dst, v => Assert.True(float.IsFinite(v)));
        // Without erasing every value is a normalised byte.
        var noErase = new float[3 * 32 * 32];
        new TrainTransform(AugmentPresets.Get("deit") with { RandomErasing = 0 }).Apply(image, 32, new Random(1), noErase);
        Assert.All(noErase, v => Assert.InRange(v, lo, hi));
    }

    [Fact]
    public void Same_rng_seed_same_output_other_seed_differs()
    {
        var image = TestImages.Gradient(80, 60);
        var t = new TrainTransform(AugmentPresets.Get("deit"));
        float[] Run(int seed)
        {
            var d = new float[3 * 24 * 24];
            t.Apply(image, 24, new Random(seed), d);
            return d;
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void Jpeg_and_decoded_paths_agree()
    {
        var image = TestImages.Gradient(96, 72);
        var jpeg = Jpeg.Encode(image, 95);
        var decoded = Jpeg.Decode(jpeg);
        var t = new TrainTransform(Plain);
        var a = new float[3 * 48 * 48];
        var b = new float[3 * 48 * 48];
        t.Apply(decoded, 48, new Random(3), a);
        t.Apply(jpeg, 48, new Random(3), b, new TransformScratch());
        var psnr = TestImages.Psnr(Normalization.FromNormalizedChw(a, 48, 48), Normalization.FromNormalizedChw(b, 48, 48));
        Assert.True(psnr > 40, $"PSNR {psnr:F1}");
    }

    [Fact]
    public void Flip_mirrors_the_image()
    {
        var image = TestImages.Halves(64, 64);
        var full = Plain with { ScaleMin = 1, ScaleMax = 1, RatioMin = 1, RatioMax = 1 };
        var straight = new TrainTransform(full).ApplyToImage(image, 32, new Random(0));
        var flipped = new TrainTransform(full with { HorizontalFlip = 1 }).ApplyToImage(image, 32, new Random(0));
        Assert.True(straight.Pixels[0] > 200 && straight.Pixels[2] < 50);     // left is red
        Assert.True(flipped.Pixels[0] < 50 && flipped.Pixels[2] > 200);      // left is blue
        for (var y = 0; y < 32; y++)
        {
            for (var x = 0; x < 32; x++)
            {
                for (var c = 0; c < 3; c++) Assert.Equal(straight.Pixels[(y * 32 + x) * 3 + c], flipped.Pixels[(y * 32 + 31 - x) * 3 + c]);
            }
        }
    }

    [Fact]
    public void Padded_crop_shifts_the_whole_image_by_at_most_the_padding_with_black_fill()
    {
        var image = TestImages.Gradient(32, 32);
        var whole = new TrainTransform(Plain with { Crop = CropMode.Center }).ApplyToImage(image, 32, new Random(0));
        var padded = new TrainTransform(Plain with { Crop = CropMode.Padded, Padding = 4 });
        var shifts = new HashSet<(int, int)>();
        for (var seed = 0; seed < 200; seed++)
        {
            var output = padded.ApplyToImage(image, 32, new Random(seed));
            var shift = FindShift(whole, output, 4);
            Assert.NotNull(shift); // every output is the image moved by whole pixels, no resampling, no scaling
            shifts.Add(shift.Value);
        }
        Assert.Equal(81, shifts.Count); // every shift in [-4, 4]² occurs

        static (int Dx, int Dy)? FindShift(RgbImage source, RgbImage output, int padding)
        {
            for (var dy = -padding; dy <= padding; dy++)
            {
                for (var dx = -padding; dx <= padding; dx++)
                {
                    if (IsShift(source, output, dx, dy)) return (dx, dy);
                }
            }
            return null;
        }

        static bool IsShift(RgbImage source, RgbImage output, int dx, int dy)
        {
            for (var y = 0; y < 32; y++)
            {
                for (var x = 0; x < 32; x++)
                {
                    int sx = x + dx, sy = y + dy;
                    bool inside = sx is >= 0 and < 32 && sy is >= 0 and < 32;
                    for (var c = 0; c < 3; c++)
                    {
                        var expected = inside ? source.Pixels[(sy * 32 + sx) * 3 + c] : 0;
                        if (output.Pixels[(y * 32 + x) * 3 + c] != expected) return false;
                    }
                }
            }
            return true;
        }
    }

    [Fact]
    public void Random_resized_crop_samples_within_bounds_scale_and_ratio()
    {
        var rng = new Random(0);
        for (var i = 0; i < 500; i++)
        {
            var box = TrainTransform.SampleCrop(500, 375, 0.08, 1, 3 / 4.0, 4 / 3.0, rng);
            Assert.InRange(box.Left, 0, 500 - box.Width);
            Assert.InRange(box.Top, 0, 375 - box.Height);
            var area = (double)box.Width * box.Height / (500 * 375);
            Assert.InRange(area, 0.07, 1.0);
        }
        // Impossible ratio: the central fallback.
        var fallback = TrainTransform.SampleCrop(100, 10, 0.9, 1, 1, 1, new Random(0));
        Assert.Equal(new CropBox(45, 0, 10, 10), fallback);
    }

    [Fact]
    public void Eval_transform_resizes_the_shorter_side_and_centre_crops()
    {
        Assert.Equal((256, 341), EvalTransform.ResizedSize(375, 500, 224, 0.875));
        Assert.Equal((341, 256), EvalTransform.ResizedSize(500, 375, 224, 0.875));
        var box = EvalTransform.CenterCropBox(500, 375, 224, 0.875);
        Assert.Equal(328, box.Width);          // 224 * 500 / 341
        Assert.Equal(328, box.Height);         // 224 * 375 / 256
        Assert.InRange(box.Left, 85, 87);
        // A white square in the centre of a black image stays centred.
        var image = new RgbImage(120, 80);
        for (var y = 30; y < 50; y++)
        {
            for (var x = 50; x < 70; x++) image.Pixels.AsSpan((y * 120 + x) * 3, 3).Fill(255);
        }
        var crop = new EvalTransform(64, 0.875, bicubic: false).ApplyToImage(image);
        Assert.Equal(64, crop.Width);
        int Px(int x, int y) => crop.Pixels[(y * 64 + x) * 3];
        Assert.True(Px(32, 32) > 200 && Px(31, 31) > 200);
        Assert.True(Px(2, 2) < 20 && Px(61, 61) < 20);
        Assert.InRange(Px(20, 32) - Px(43, 32), -2, 2);   // symmetric
        var dst = new float[3 * 64 * 64];
        new EvalTransform(64).Apply(Jpeg.Encode(image, 95), dst);
        Assert.True(dst[32 * 64 + 32] > 1.5f);
    }

    [Fact]
    public void Random_erasing_replaces_one_rectangle()
    {
        var chw = new float[3 * 40 * 40];
        Array.Fill(chw, 7f);
        RandomErasing.Apply(chw, 40, 40, 1.0, RandomErasingMode.Pixel, 1, new Random(2));
        var changed = Enumerable.Range(0, 1600).Where(i => chw[i] != 7f).ToArray();
        Assert.NotEmpty(changed);
        int minX = changed.Min(i => i % 40), maxX = changed.Max(i => i % 40), minY = changed.Min(i => i / 40), maxY = changed.Max(i => i / 40);
        var boxArea = (maxX - minX + 1) * (maxY - minY + 1);
        Assert.Equal(boxArea, changed.Length);                       // a full rectangle
        Assert.InRange(boxArea, 0.015 * 1600, 0.35 * 1600);
        for (var c = 1; c < 3; c++) Assert.NotEqual(7f, chw[c * 1600 + minY * 40 + minX]); // every channel
        var values = changed.Select(i => chw[i]).ToArray();
        Assert.InRange(values.Average(), -0.5, 0.5);                 // N(0,1) noise

        var untouched = new float[3 * 40 * 40];
        RandomErasing.Apply(untouched, 40, 40, 0.0, RandomErasingMode.Pixel, 1, new Random(2));
        Assert.All(untouched, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(RandAugment.Op.Invert)]
    [InlineData(RandAugment.Op.AutoContrast)]
    [InlineData(RandAugment.Op.Equalize)]
    [InlineData(RandAugment.Op.Rotate)]
    [InlineData(RandAugment.Op.Posterize)]
    [InlineData(RandAugment.Op.Solarize)]
    [InlineData(RandAugment.Op.SolarizeAdd)]
    [InlineData(RandAugment.Op.Color)]
    [InlineData(RandAugment.Op.Contrast)]
    [InlineData(RandAugment.Op.Brightness)]
    [InlineData(RandAugment.Op.Sharpness)]
    [InlineData(RandAugment.Op.ShearX)]
    [InlineData(RandAugment.Op.ShearY)]
    [InlineData(RandAugment.Op.TranslateXRel)]
    [InlineData(RandAugment.Op.TranslateYRel)]
    public void Each_rand_augment_op_changes_the_image_deterministically(RandAugment.Op op)
    {
        RgbImage Run(int seed)
        {
            // Low-contrast gradient so AutoContrast/Equalize have something to do.
            var image = TestImages.Gradient(48, 40);
            for (var i = 0; i < image.ByteCount; i++) image.Pixels[i] = (byte)(60 + image.Pixels[i] / 3);
            byte[]? scratch = null;
            RandAugment.ApplyOp(image, op, 9, increasing: true, new Random(seed), ref scratch);
            return image;
        }
        var original = TestImages.Gradient(48, 40);
        for (var i = 0; i < original.ByteCount; i++) original.Pixels[i] = (byte)(60 + original.Pixels[i] / 3);
        var a = Run(1);
        Assert.Equal((48, 40), (a.Width, a.Height));
        Assert.NotEqual(original.Pixels, a.Pixels);
        Assert.Equal(a.Pixels, Run(1).Pixels);
    }

    [Fact]
    public void Image_ops_match_their_definitions()
    {
        var image = new RgbImage(2, 1, [10, 100, 200, 130, 128, 127]);
        ImageOps.Invert(image);
        Assert.Equal([245, 155, 55, 125, 127, 128], image.Pixels);
        ImageOps.Solarize(image, 128);
        Assert.Equal([10, 100, 55, 125, 127, 127], image.Pixels);
        ImageOps.Posterize(image, 2);
        Assert.Equal([0, 64, 0, 64, 64, 64], image.Pixels);
        var contrast = new RgbImage(2, 1, [100, 100, 100, 200, 200, 200]);
        ImageOps.AutoContrast(contrast);
        Assert.Equal([0, 0, 0, 254, 254, 254], contrast.Pixels); // as PIL (float rounding)
        var bright = new RgbImage(1, 1, [100, 50, 200]);
        ImageOps.Brightness(bright, 1.5);
        Assert.Equal([150, 75, 255], bright.Pixels);
        var grey = new RgbImage(1, 1, [200, 100, 50]);
        ImageOps.Color(grey, 0);
        Assert.True(grey.Pixels[0] == grey.Pixels[1] && grey.Pixels[1] == grey.Pixels[2]);
        // Translating by the full width leaves only the fill colour.
        var t = TestImages.Gradient(10, 10);
        byte[]? scratch = null;
        ImageOps.TranslateX(t, 10, ImageOps.MeanFill, ref scratch);
        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(ImageOps.MeanFill.R, t.Pixels[i * 3]));
        // Rotating 90° twice equals rotating 180° (square image, pixel centres map exactly).
        var r1 = TestImages.Gradient(16, 16);
        var r2 = TestImages.Gradient(16, 16);
        ImageOps.Rotate(r1, 90, ImageOps.MeanFill, ref scratch);
        ImageOps.Rotate(r1, 90, ImageOps.MeanFill, ref scratch);
        ImageOps.Rotate(r2, 180, ImageOps.MeanFill, ref scratch);
        Assert.Equal(r2.Pixels, r1.Pixels);
    }

    [Theory]
    [InlineData(0.27, 0.0, true)]
    [InlineData(-0.3, 0.0, true)]
    [InlineData(0.0, 7.4, true)]
    [InlineData(0.0, -13.0, true)]
    [InlineData(0.21, 0.0, false)]
    [InlineData(0.0, -5.6, false)]
    public void Shears_and_translations_match_the_general_affine_transform(double shear, double offset, bool horizontal)
    {
        var fast = TestImages.Gradient(37, 29, 3);
        var general = TestImages.Gradient(37, 29, 3);
        byte[]? scratch = null;
        if (horizontal)
        {
            if (shear != 0) ImageOps.ShearX(fast, shear, ImageOps.MeanFill, ref scratch);
            else ImageOps.TranslateX(fast, offset, ImageOps.MeanFill, ref scratch);
            ImageOps.Affine(general, 1, shear, offset, 0, 1, 0, ImageOps.MeanFill, ref scratch);
        }
        else
        {
            if (shear != 0) ImageOps.ShearY(fast, shear, ImageOps.MeanFill, ref scratch);
            else ImageOps.TranslateY(fast, offset, ImageOps.MeanFill, ref scratch);
            ImageOps.Affine(general, 1, 0, 0, shear, 1, offset, ImageOps.MeanFill, ref scratch);
        }
        var differing = Enumerable.Range(0, fast.ByteCount).Count(i => Math.Abs(fast.Pixels[i] - general.Pixels[i]) > 1);
        Assert.True(differing <= fast.ByteCount / 200, $"{differing} bytes differ by more than 1"); // only float ties at borders
    }

    [Fact]
    public void Color_jitter_changes_colours_but_not_geometry()
    {
        var image = TestImages.Gradient(32, 32);
        var t = new TrainTransform(Plain with { Crop = CropMode.Center, ColorJitter = 0.4 });
        var a = t.ApplyToImage(image, 32, new Random(1));
        var b = new TrainTransform(Plain with { Crop = CropMode.Center }).ApplyToImage(image, 32, new Random(1));
        Assert.NotEqual(a.Pixels, b.Pixels);
    }

    [Fact]
    public void Presets_are_documented_levels()
    {
        Assert.Equal(0, AugmentPresets.Get("none").RandAugmentOps);
        Assert.True(AugmentPresets.Get("light").RandAugmentMagnitude < AugmentPresets.Get("medium").RandAugmentMagnitude);
        Assert.True(AugmentPresets.Get("medium").Mixup < AugmentPresets.Get("strong").Mixup);
        var deit = AugmentPresets.Get("deit");
        Assert.Equal((2, 9.0, 0.5, true), (deit.RandAugmentOps, deit.RandAugmentMagnitude, deit.RandAugmentMagnitudeStd, deit.RandAugmentIncreasing));
        Assert.Equal(0.25, deit.RandomErasing);
        Assert.Equal(RandomErasingMode.Pixel, deit.RandomErasingMode);
        Assert.Equal((0.8, 1.0, 0.5), (deit.Mixup, deit.Cutmix, deit.MixupSwitchProb));
        Assert.Equal(0, deit.ColorJitter);
        Assert.Throws<ArgumentException>(() => AugmentPresets.Get("extreme"));
        var parsed = new TrainAugmentOptions().WithRandAugment("rand-n3-m7-mstd1-inc0");
        Assert.Equal((3, 7.0, 1.0, false), (parsed.RandAugmentOps, parsed.RandAugmentMagnitude, parsed.RandAugmentMagnitudeStd, parsed.RandAugmentIncreasing));
    }
}

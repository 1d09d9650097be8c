namespace Leaderboard.Imaging.Transforms;

/// <summary>
/// timm's RandAugment (<c>rand_augment_transform</c>): pick <c>n</c> ops uniformly with replacement; each applies with
/// probability p at magnitude ~ N(m, std) clipped to [0, 10]. Level functions follow timm's <c>auto_augment.py</c>.
/// </summary>
public static class RandAugment
{
    public enum Op
    {
        AutoContrast, Equalize, Invert, Rotate, Posterize, Solarize, SolarizeAdd,
        Color, Contrast, Brightness, Sharpness, ShearX, ShearY, TranslateXRel, TranslateYRel,
    }

    /// <summary>The op set of timm's <c>rand-*</c> (and <c>-inc1</c>: same ops, increasing level functions).</summary>
    public static IReadOnlyList<Op> Ops { get; } = Enum.GetValues<Op>();

    private const double LevelDenominator = 10;

    public static void Apply(RgbImage image, TrainAugmentOptions options, Random rng, ref byte[]? scratch)
    {
        for (var i = 0; i < options.RandAugmentOps; i++)
        {
            var op = Ops[rng.Next(Ops.Count)];
            if (options.RandAugmentOpProbability < 1 && rng.NextDouble() > options.RandAugmentOpProbability) continue;
            var magnitude = options.RandAugmentMagnitude;
            if (double.IsPositiveInfinity(options.RandAugmentMagnitudeStd)) magnitude = rng.NextDouble() * magnitude;
            else if (options.RandAugmentMagnitudeStd > 0) magnitude = Gaussian(rng, magnitude, options.RandAugmentMagnitudeStd);
            magnitude = Math.Clamp(magnitude, 0, LevelDenominator);
            ApplyOp(image, op, magnitude, options.RandAugmentIncreasing, rng, ref scratch);
        }
    }

    public static double Gaussian(Random rng, double mean, double std)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return mean + std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double RandomlyNegate(double v, Random rng) => rng.NextDouble() > 0.5 ? -v : v;

    /// <summary>Applies one op at a magnitude in [0, 10].</summary>
    public static void ApplyOp(RgbImage image, Op op, double magnitude, bool increasing, Random rng, ref byte[]? scratch)
    {
        var level = magnitude / LevelDenominator;
        var fill = ImageOps.MeanFill;
        switch (op)
        {
            case Op.AutoContrast: ImageOps.AutoContrast(image); break;
            case Op.Equalize: ImageOps.Equalize(image); break;
            case Op.Invert: ImageOps.Invert(image); break;
            case Op.Rotate: ImageOps.Rotate(image, RandomlyNegate(level * 30, rng), fill, ref scratch); break;
            case Op.Posterize:
                // increasing: 4 - int(level * 4) bits; original: int(level * 4) + 4 bits.
                ImageOps.Posterize(image, increasing ? 4 - (int)(level * 4) : (int)(level * 4) + 4);
                break;
            case Op.Solarize:
                ImageOps.Solarize(image, increasing ? 256 - (int)(level * 256) : (int)(level * 256));
                break;
            case Op.SolarizeAdd: ImageOps.SolarizeAdd(image, (int)(level * 110)); break;
            case Op.Color: ImageOps.Color(image, Enhance(level, increasing, rng)); break;
            case Op.Contrast: ImageOps.Contrast(image, Enhance(level, increasing, rng)); break;
            case Op.Brightness: ImageOps.Brightness(image, Enhance(level, increasing, rng)); break;
            case Op.Sharpness: ImageOps.Sharpness(image, Enhance(level, increasing, rng), ref scratch); break;
            case Op.ShearX: ImageOps.ShearX(image, RandomlyNegate(level * 0.3, rng), fill, ref scratch); break;
            case Op.ShearY: ImageOps.ShearY(image, RandomlyNegate(level * 0.3, rng), fill, ref scratch); break;
            case Op.TranslateXRel: ImageOps.TranslateX(image, RandomlyNegate(level * 0.45, rng) * image.Width, fill, ref scratch); break;
            case Op.TranslateYRel: ImageOps.TranslateY(image, RandomlyNegate(level * 0.45, rng) * image.Height, fill, ref scratch); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    // increasing: 1 ± level * 0.9; original: level * 1.8 + 0.1.
    private static double Enhance(double level, bool increasing, Random rng) =>
        increasing ? 1.0 + RandomlyNegate(level * 0.9, rng) : level * 1.8 + 0.1;
}

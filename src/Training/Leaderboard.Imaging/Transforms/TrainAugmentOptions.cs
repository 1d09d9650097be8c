namespace Leaderboard.Imaging.Transforms;

public enum CropMode
{
    /// <summary>The Inception crop: a random area fraction and aspect ratio, resized to the output size.</summary>
    RandomResized,
    /// <summary>Resize and centre-crop to the output size, then shift by up to <see cref="TrainAugmentOptions.Padding"/>
    /// pixels each way with zero fill: a random crop of the zero-padded image (the CIFAR crop).</summary>
    Padded,
    /// <summary>Resize the shorter side and centre-crop, as evaluation does.</summary>
    Center,
}

public enum RandomErasingMode
{
    /// <summary>Per-pixel, per-channel N(0,1) values in normalised space (DeiT / timm <c>mode='pixel'</c>).</summary>
    Pixel,
    /// <summary>One N(0,1) value per channel for the whole rectangle (timm <c>mode='rand'</c>).</summary>
    Random,
    /// <summary>Zeros in normalised space, i.e. the dataset mean (timm <c>mode='const'</c>).</summary>
    Constant,
}

/// <summary>
/// Per-image training augmentation, applied in timm's order: crop (RandomResizedCrop by default) → horizontal flip → RandAugment →
/// ColorJitter → to float, normalise (ImageNet mean/std) → RandomErasing. Mixup / CutMix are batch-level and run by the
/// trainer; their fields only travel with the options.
/// </summary>
public sealed record TrainAugmentOptions
{
    public CropMode Crop { get; init; } = CropMode.RandomResized;
    /// <summary><see cref="CropMode.Padded"/>: zero padding on each side, in output pixels.</summary>
    public int Padding { get; init; } = 4;
    public double ScaleMin { get; init; } = 0.08;
    public double ScaleMax { get; init; } = 1.0;
    public double RatioMin { get; init; } = 3.0 / 4.0;
    public double RatioMax { get; init; } = 4.0 / 3.0;
    public Interpolation Interpolation { get; init; } = Interpolation.Bicubic;

    public double HorizontalFlip { get; init; } = 0.5;

    /// <summary>RandAugment: ops per image (0 = off). timm's <c>rand-m9-mstd0.5-inc1</c> = 2 ops, magnitude 9, std 0.5, increasing.</summary>
    public int RandAugmentOps { get; init; }
    public double RandAugmentMagnitude { get; init; } = 9;
    public double RandAugmentMagnitudeStd { get; init; } = 0.5;
    /// <summary>timm's <c>inc1</c>: op strengths grow with magnitude (the "increasing" op set).</summary>
    public bool RandAugmentIncreasing { get; init; } = true;
    /// <summary>Probability that each chosen op is applied (timm: 0.5).</summary>
    public double RandAugmentOpProbability { get; init; } = 0.5;

    /// <summary>ColorJitter strength for brightness, contrast and saturation (factor in [1-x, 1+x]); 0 = off.</summary>
    public double ColorJitter { get; init; }

    public double RandomErasing { get; init; }
    public RandomErasingMode RandomErasingMode { get; init; } = RandomErasingMode.Pixel;
    public int RandomErasingCount { get; init; } = 1;

    /// <summary>Batch-level, for the trainer: mixup alpha (0 = off).</summary>
    public double Mixup { get; init; }
    /// <summary>Batch-level, for the trainer: cutmix alpha (0 = off).</summary>
    public double Cutmix { get; init; }
    /// <summary>Batch-level, for the trainer: probability of cutmix instead of mixup when both are on.</summary>
    public double MixupSwitchProb { get; init; } = 0.5;
    /// <summary>Batch-level, for the trainer: probability of applying mixup/cutmix to a batch.</summary>
    public double MixupProb { get; init; } = 1.0;

    /// <summary>Applies a timm RandAugment string such as <c>rand-m9-mstd0.5-inc1</c> or <c>rand-n2-m10</c>.</summary>
    public TrainAugmentOptions WithRandAugment(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var parts = spec.Split('-');
        if (parts[0] != "rand") throw new ArgumentException($"Not a RandAugment spec (must start with 'rand'): '{spec}'", nameof(spec));
        var result = this with { RandAugmentOps = 2, RandAugmentMagnitude = 10, RandAugmentMagnitudeStd = 0, RandAugmentIncreasing = false };
        foreach (var part in parts.Skip(1))
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            if (part.StartsWith("mstd", StringComparison.Ordinal)) result = result with { RandAugmentMagnitudeStd = double.Parse(part[4..], inv) };
            else if (part.StartsWith("inc", StringComparison.Ordinal)) result = result with { RandAugmentIncreasing = part[3..] != "0" };
            else if (part.StartsWith('m')) result = result with { RandAugmentMagnitude = double.Parse(part[1..], inv) };
            else if (part.StartsWith('n')) result = result with { RandAugmentOps = int.Parse(part[1..], inv) };
            else if (part.StartsWith('p')) result = result with { RandAugmentOpProbability = double.Parse(part[1..], inv) };
            else throw new ArgumentException($"Unknown RandAugment option '{part}' in '{spec}'", nameof(spec));
        }
        return result;
    }
}

/// <summary>AugReg-style strength levels (Steiner et al. 2021, "How to train your ViT?") plus the DeiT recipe.</summary>
public static class AugmentPresets
{
    public static IReadOnlyList<string> Names { get; } = ["none", "light", "medium", "strong", "deit"];

    /// <summary>
    /// <list type="bullet">
    /// <item><c>none</c>: RandomResizedCrop(0.08–1) + flip only (AugReg's "none" keeps the inception crop and flip).</item>
    /// <item><c>light</c>: + RandAugment 2 ops, magnitude 5 (std 0.5); no mixup.</item>
    /// <item><c>medium</c>: + RandAugment 2 ops, magnitude 9 (std 0.5); mixup 0.2.</item>
    /// <item><c>strong</c>: + RandAugment 2 ops, magnitude 10 (the maximum, std 0.5); mixup 0.5.</item>
    /// <item><c>deit</c>: DeiT's recipe: RRC + flip + <c>rand-m9-mstd0.5-inc1</c> + random erasing 0.25 (pixel) +
    /// mixup 0.8 / cutmix 1.0 (switch 0.5). No colour jitter: DeiT passes 0.3 but timm skips jitter when
    /// RandAugment is on. Repeated augmentation (3) is a loader option.</item>
    /// </list>
    /// </summary>
    public static TrainAugmentOptions Get(string name)
    {
        var basic = new TrainAugmentOptions();
        return name?.Trim().ToLowerInvariant() switch
        {
            "none" => basic,
            "light" => basic with { RandAugmentOps = 2, RandAugmentMagnitude = 5 },
            "medium" => basic with { RandAugmentOps = 2, RandAugmentMagnitude = 9, Mixup = 0.2 },
            "strong" => basic with { RandAugmentOps = 2, RandAugmentMagnitude = 10, Mixup = 0.5 },
            "deit" => basic.WithRandAugment("rand-m9-mstd0.5-inc1") with { RandomErasing = 0.25, Mixup = 0.8, Cutmix = 1.0, MixupSwitchProb = 0.5 },
            _ => throw new ArgumentException($"Unknown augmentation preset '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}

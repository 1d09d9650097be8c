namespace Leaderboard.Imaging.Transforms;

/// <summary>Decodes an encoded image and writes it as normalised float CHW (3·size·size) into a caller's buffer.</summary>
public interface IImageTransform
{
    void Apply(ReadOnlySpan<byte> jpeg, int size, Random rng, Span<float> destination, TransformScratch scratch);
}

/// <summary>A crop box in source pixels (torchvision's i, j, h, w as Top, Left, Height, Width).</summary>
public readonly record struct CropBox(int Left, int Top, int Width, int Height);

/// <summary>
/// Training transform: crop (RandomResizedCrop, padded or centre) → flip → RandAugment → ColorJitter → normalise → RandomErasing (see
/// <see cref="TrainAugmentOptions"/>). Deterministic for a given <see cref="Random"/> state. From JPEG bytes the crop is
/// chosen on the header's size and the decoder downscales in the DCT domain as far as the crop allows.
/// </summary>
public sealed class TrainTransform(TrainAugmentOptions options) : IImageTransform
{
    public TrainAugmentOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>torchvision's <c>RandomResizedCrop.get_params</c>.</summary>
    public static CropBox SampleCrop(int width, int height, double scaleMin, double scaleMax, double ratioMin, double ratioMax, Random rng)
    {
        var area = (double)width * height;
        double logMin = Math.Log(ratioMin), logMax = Math.Log(ratioMax);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * (scaleMin + rng.NextDouble() * (scaleMax - scaleMin));
            var aspect = Math.Exp(logMin + rng.NextDouble() * (logMax - logMin));
            var w = (int)Math.Round(Math.Sqrt(target * aspect));
            var h = (int)Math.Round(Math.Sqrt(target / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                var top = rng.Next(height - h + 1);
                var left = rng.Next(width - w + 1);
                return new CropBox(left, top, w, h);
            }
        }
        // Fallback: central crop at the nearest allowed aspect ratio.
        var inRatio = (double)width / height;
        int cw, ch;
        if (inRatio < ratioMin) { cw = width; ch = (int)Math.Round(cw / ratioMin); }
        else if (inRatio > ratioMax) { ch = height; cw = (int)Math.Round(ch * ratioMax); }
        else { cw = width; ch = height; }
        return new CropBox((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    private CropBox Sample(int width, int height, int size, Random rng) =>
        Options.Crop == CropMode.RandomResized
            ? SampleCrop(width, height, Options.ScaleMin, Options.ScaleMax, Options.RatioMin, Options.RatioMax, rng)
            : EvalTransform.CenterCropBox(width, height, size, 1.0);

    public void Apply(ReadOnlySpan<byte> jpeg, int size, Random rng, Span<float> destination, TransformScratch scratch)
    {
        var (w, h) = Jpeg.ReadSize(jpeg);
        var crop = Sample(w, h, size, rng);
        var scale = Jpeg.ChooseScale(crop.Width, crop.Height, size);
        var (sw, sh) = Jpeg.DecodeInto(jpeg, scale, ref scratch.Decoded);
        var decoded = new RgbImage(sw, sh, scratch.Decoded!);
        var factor = (double)scale.Num / scale.Denom; // exact: the scaled size is rounded up, the content is not
        Finish(decoded, crop, factor, factor, size, rng, destination, scratch);
    }

    /// <summary>Transforms a decoded image into <paramref name="destination"/> (3·size·size floats).</summary>
    public void Apply(RgbImage image, int size, Random rng, Span<float> destination, TransformScratch? scratch = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var crop = Sample(image.Width, image.Height, size, rng);
        Finish(image, crop, 1, 1, size, rng, destination, scratch ?? new TransformScratch());
    }

    /// <summary>The augmented RGB8 image before normalisation and random erasing (for previews and tests).</summary>
    public RgbImage ApplyToImage(RgbImage image, int size, Random rng)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scratch = new TransformScratch();
        var crop = Sample(image.Width, image.Height, size, rng);
        var output = Augment(image, crop, 1, 1, size, rng, scratch);
        return new RgbImage(size, size, output.Span.ToArray());
    }

    private RgbImage Augment(RgbImage source, CropBox crop, double fx, double fy, int size, Random rng, TransformScratch scratch)
    {
        var output = scratch.OutputImage(size);
        // torchvision draws the flip after the crop; drawing it first changes nothing else, and the resampler flips for free.
        var mirror = Options.HorizontalFlip > 0 && rng.NextDouble() < Options.HorizontalFlip;
        double x0 = crop.Left * fx, y0 = crop.Top * fy, cw = crop.Width * fx, ch = crop.Height * fy;
        Resampler.Resize(source, x0, y0, cw, ch,
            (int)Math.Floor(x0), (int)Math.Floor(y0), (int)Math.Ceiling(x0 + cw - 1e-9), (int)Math.Ceiling(y0 + ch - 1e-9),
            output.Span, size, size, Options.Interpolation, mirror);
        if (Options.Crop == CropMode.Padded && Options.Padding > 0) PadShift(output, Options.Padding, rng, ref scratch.Work);
        if (Options.RandAugmentOps > 0) RandAugment.Apply(output, Options, rng, ref scratch.Work);
        if (Options.ColorJitter > 0) ColorJitter(output, Options.ColorJitter, rng);
        return output;
    }

    private void Finish(RgbImage source, CropBox crop, double fx, double fy, int size, Random rng, Span<float> destination, TransformScratch scratch)
    {
        var output = Augment(source, crop, fx, fy, size, rng, scratch);
        Normalization.ToNormalizedChw(output, destination);
        if (Options.RandomErasing > 0)
        {
            RandomErasing.Apply(destination[..(3 * size * size)], size, size, Options.RandomErasing, Options.RandomErasingMode, Options.RandomErasingCount, rng);
        }
    }

    /// <summary>
    /// torchvision's <c>RandomCrop(size, padding)</c> of the resized image: a random crop of the image zero-padded by
    /// <paramref name="padding"/> on each side is the image shifted by up to ±padding pixels with black filling in.
    /// </summary>
    public static void PadShift(RgbImage image, int padding, Random rng, ref byte[]? scratch)
    {
        int dx = rng.Next(-padding, padding + 1), dy = rng.Next(-padding, padding + 1);
        if (dx != 0) ImageOps.TranslateX(image, dx, (0, 0, 0), ref scratch);
        if (dy != 0) ImageOps.TranslateY(image, dy, (0, 0, 0), ref scratch);
    }

    /// <summary>torchvision ColorJitter(b=c=s=<paramref name="strength"/>, hue 0): the three in random order.</summary>
    public static void ColorJitter(RgbImage image, double strength, Random rng)
    {
        Span<int> order = [0, 1, 2];
        for (var i = 2; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var lo = Math.Max(0, 1 - strength);
        var hi = 1 + strength;
        foreach (var op in order)
        {
            var factor = lo + rng.NextDouble() * (hi - lo);
            switch (op)
            {
                case 0: ImageOps.Brightness(image, factor); break;
                case 1: ImageOps.Contrast(image, factor); break;
                default: ImageOps.Color(image, factor); break;
            }
        }
    }
}

/// <summary>
/// Evaluation transform (timm / torchvision): resize the shorter side to <c>floor(size / cropRatio)</c>, centre-crop
/// <c>size</c>. Done as one resampling of the crop window; from JPEG bytes the decoder first downscales in the DCT
/// domain while staying at or above the resized size.
/// </summary>
public sealed class EvalTransform(int size, double cropRatio = 0.875, bool bicubic = true) : IImageTransform
{
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size));
    public double CropRatio { get; } = cropRatio is > 0 and <= 1 ? cropRatio : throw new ArgumentOutOfRangeException(nameof(cropRatio));
    public Interpolation Interpolation { get; } = bicubic ? Interpolation.Bicubic : Interpolation.Bilinear;

    /// <summary>The resized size (shorter side = floor(size / cropRatio)), torchvision's <c>Resize(int)</c> rule.</summary>
    public static (int Width, int Height) ResizedSize(int width, int height, int size, double cropRatio)
    {
        var shortSide = (int)Math.Floor(size / cropRatio + 1e-9);
        return width <= height
            ? (shortSide, (int)((long)shortSide * height / width))
            : ((int)((long)shortSide * width / height), shortSide);
    }

    /// <summary>The centre crop in source pixels (may be fractional after the resize; rounded here for reporting).</summary>
    public static CropBox CenterCropBox(int width, int height, int size, double cropRatio)
    {
        var (rw, rh) = ResizedSize(width, height, size, cropRatio);
        var left = (int)Math.Round((rw - size) / 2.0);
        var top = (int)Math.Round((rh - size) / 2.0);
        double sx = (double)width / rw, sy = (double)height / rh;
        return new CropBox((int)Math.Round(left * sx), (int)Math.Round(top * sy), (int)Math.Round(size * sx), (int)Math.Round(size * sy));
    }

    public void Apply(RgbImage image, Span<float> destination, TransformScratch? scratch = null) =>
        Apply(image, Size, destination, scratch ?? new TransformScratch());

    public void Apply(ReadOnlySpan<byte> jpeg, Span<float> destination, TransformScratch? scratch = null) =>
        Apply(jpeg, Size, null!, destination, scratch ?? new TransformScratch());

    /// <summary>The RGB8 centre crop (for previews and tests).</summary>
    public RgbImage ApplyToImage(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scratch = new TransformScratch();
        var output = Crop(image, image.Width, image.Height, 1, Size, scratch);
        return new RgbImage(Size, Size, output.Span.ToArray());
    }

    public void Apply(ReadOnlySpan<byte> jpeg, int size, Random rng, Span<float> destination, TransformScratch scratch)
    {
        var (w, h) = Jpeg.ReadSize(jpeg);
        var (rw, rh) = ResizedSize(w, h, size, CropRatio);
        var scale = Jpeg.ChooseScale(w, h, rw, rh);
        var (sw, sh) = Jpeg.DecodeInto(jpeg, scale, ref scratch.Decoded);
        var output = Crop(new RgbImage(sw, sh, scratch.Decoded!), w, h, (double)scale.Num / scale.Denom, size, scratch);
        Normalization.ToNormalizedChw(output, destination);
    }

    private void Apply(RgbImage image, int size, Span<float> destination, TransformScratch scratch)
    {
        ArgumentNullException.ThrowIfNull(image);
        var output = Crop(image, image.Width, image.Height, 1, size, scratch);
        Normalization.ToNormalizedChw(output, destination);
    }

    // width/height: the original size; factor: the DCT scale the source was decoded at.
    private RgbImage Crop(RgbImage source, int width, int height, double factor, int size, TransformScratch scratch)
    {
        var (rw, rh) = ResizedSize(width, height, size, CropRatio);
        var left = (int)Math.Round((rw - size) / 2.0);
        var top = (int)Math.Round((rh - size) / 2.0);
        double sx = (double)width / rw * factor, sy = (double)height / rh * factor;
        var output = scratch.OutputImage(size);
        Resampler.Resize(source, left * sx, top * sy, size * sx, size * sy, 0, 0, source.Width, source.Height, output.Span, size, size, Interpolation);
        return output;
    }
}

/// <summary>timm's RandomErasing on a normalised CHW image (area 2–33 %, log-aspect in [0.3, 3.3]).</summary>
public static class RandomErasing
{
    public static void Apply(Span<float> chw, int width, int height, double probability, RandomErasingMode mode, int count, Random rng)
    {
        if (rng.NextDouble() > probability) return;
        var area = (double)width * height;
        var plane = width * height;
        double logMin = Math.Log(0.3), logMax = Math.Log(1 / 0.3);
        count = Math.Max(1, count);
        for (var n = 0; n < count; n++)
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var target = (0.02 + rng.NextDouble() * (1 / 3.0 - 0.02)) * area / count;
                var aspect = Math.Exp(logMin + rng.NextDouble() * (logMax - logMin));
                var h = (int)Math.Round(Math.Sqrt(target * aspect));
                var w = (int)Math.Round(Math.Sqrt(target / aspect));
                if (w >= width || h >= height) continue;
                var top = rng.Next(height - h + 1);
                var left = rng.Next(width - w + 1);
                Span<float> channelValue = stackalloc float[3];
                var noise = new NormalNoise((ulong)rng.NextInt64());
                if (mode == RandomErasingMode.Random)
                {
                    for (var c = 0; c < 3; c++) channelValue[c] = (float)RandAugment.Gaussian(rng, 0, 1);
                }
                for (var c = 0; c < 3; c++)
                {
                    for (var y = top; y < top + h; y++)
                    {
                        var row = chw.Slice(c * plane + y * width + left, w);
                        switch (mode)
                        {
                            case RandomErasingMode.Pixel:
                                noise.Fill(row);
                                break;
                            case RandomErasingMode.Random: row.Fill(channelValue[c]); break;
                            default: row.Clear(); break;
                        }
                    }
                }
                break;
            }
        }
    }
}

/// <summary>Fast N(0,1) floats (xorshift64* + Box–Muller pairs), seeded from the caller's RNG.</summary>
internal struct NormalNoise(ulong seed)
{
    private ulong _state = seed | 1;

    private float NextUniform()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return ((_state * 0x2545F4914F6CDD1DUL) >> 40) * (1f / (1 << 24));
    }

    public void Fill(Span<float> values)
    {
        var i = 0;
        for (; i < values.Length; i += 2)
        {
            var u1 = 1f - NextUniform();
            var u2 = NextUniform();
            var r = MathF.Sqrt(-2f * MathF.Log(u1));
            var (sin, cos) = MathF.SinCos(2f * MathF.PI * u2);
            values[i] = r * cos;
            if (i + 1 < values.Length) values[i + 1] = r * sin;
        }
    }
}

namespace Leaderboard.Imaging.Transforms;

/// <summary>Per-thread working buffers of the transforms, so steady-state processing allocates nothing large.</summary>
public sealed class TransformScratch
{
    internal byte[]? Decoded;
    internal byte[]? Output;
    internal byte[]? Work;
    internal byte[] File = [];

    internal RgbImage OutputImage(int size)
    {
        var needed = size * size * 3;
        if (Output is null || Output.Length < needed) Output = new byte[needed];
        return new RgbImage(size, size, Output);
    }
}

/// <summary>ImageNet normalisation and the RGB8 HWC → float CHW conversion.</summary>
public static class Normalization
{
    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    // lut[c * 256 + v] = (v / 255 - mean[c]) / std[c]
    private static readonly float[] Lut = BuildLut();

    private static float[] BuildLut()
    {
        var lut = new float[768];
        for (var c = 0; c < 3; c++)
        {
            for (var v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255f - Mean[c]) / Std[c];
        }
        return lut;
    }

    /// <summary>Writes <paramref name="image"/> as normalised float CHW into <paramref name="destination"/> (3·H·W floats).</summary>
    public static void ToNormalizedChw(RgbImage image, Span<float> destination)
    {
        var plane = image.Width * image.Height;
        if (destination.Length < plane * 3) throw new ArgumentException($"Destination needs {plane * 3} floats, has {destination.Length}.", nameof(destination));
        var px = image.Pixels.AsSpan(0, plane * 3);
        var r = destination[..plane];
        var g = destination.Slice(plane, plane);
        var b = destination.Slice(plane * 2, plane);
        var lut = Lut.AsSpan();
        var lr = lut[..256];
        var lg = lut.Slice(256, 256);
        var lb = lut.Slice(512, 256);
        for (var i = 0; i < plane; i++)
        {
            r[i] = lr[px[i * 3]];
            g[i] = lg[px[i * 3 + 1]];
            b[i] = lb[px[i * 3 + 2]];
        }
    }

    /// <summary>The inverse, for tests and previews: normalised CHW → RGB8.</summary>
    public static RgbImage FromNormalizedChw(ReadOnlySpan<float> chw, int width, int height)
    {
        var plane = width * height;
        var image = new RgbImage(width, height);
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < plane; i++)
            {
                var v = (chw[c * plane + i] * Std[c] + Mean[c]) * 255f + 0.5f;
                image.Pixels[i * 3 + c] = (byte)Math.Clamp(v, 0, 255);
            }
        }
        return image;
    }
}

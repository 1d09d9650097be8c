using System.Runtime.InteropServices;
using Leaderboard.Imaging.Native;

namespace Leaderboard.Imaging;

/// <summary>A DCT scaling factor of the JPEG decoder (output = ceil(side * Num / Denom)).</summary>
public readonly record struct JpegScale(int Num, int Denom)
{
    public static readonly JpegScale One = new(1, 1);
    public int Apply(int side) => (side * Num + Denom - 1) / Denom;
}

/// <summary>JPEG decode / encode through libjpeg-turbo (one TurboJPEG handle per thread).</summary>
public static class Jpeg
{
    [ThreadStatic] private static TurboJpegHandle? t_decoder;
    [ThreadStatic] private static TurboJpegHandle? t_encoder;
    private static JpegScale[]? s_scales;

    private static TurboJpegHandle Decoder => t_decoder ??= TurboJpegHandle.Create(compress: false);

    // After an error a TurboJPEG 2.x handle can keep a stale state (a later valid file reads as 0x0): start afresh.
    private static ImageDecodeException DecoderFailure(string message)
    {
        t_decoder?.Dispose();
        t_decoder = null;
        return new ImageDecodeException(message);
    }
    private static TurboJpegHandle Encoder => t_encoder ??= TurboJpegHandle.Create(compress: true);

    /// <summary>The decoder's scaling factors, largest first.</summary>
    public static IReadOnlyList<JpegScale> ScalingFactors => s_scales ??= LoadScales();

    private static unsafe JpegScale[] LoadScales()
    {
        var list = TurboJpegNative.tjGetScalingFactors(out var count);
        if (list == null) throw new ImageDecodeException("libjpeg-turbo: tjGetScalingFactors failed");
        var scales = new JpegScale[count];
        for (var i = 0; i < count; i++) scales[i] = new JpegScale(list[i].Num, list[i].Denom);
        return [.. scales.OrderByDescending(s => (double)s.Num / s.Denom)];
    }

    /// <summary>
    /// The scale giving the smallest image whose sides are both ≥ <paramref name="minTargetSide"/> (never upscaling);
    /// 1/1 when the image is already smaller or <paramref name="minTargetSide"/> ≤ 0.
    /// </summary>
    public static JpegScale ChooseScale(int width, int height, int minTargetSide) =>
        ChooseScale(width, height, minTargetSide, minTargetSide);

    /// <summary>As <see cref="ChooseScale(int,int,int)"/> with separate minimum width and height.</summary>
    public static JpegScale ChooseScale(int width, int height, int minWidth, int minHeight)
    {
        var best = JpegScale.One;
        if (minWidth <= 0 && minHeight <= 0) return best;
        foreach (var s in ScalingFactors)
        {
            if (s.Num > s.Denom) continue;
            if (s.Apply(width) >= minWidth && s.Apply(height) >= minHeight) best = s; // list is descending: keep the last fit
        }
        return best;
    }

    /// <summary>Width and height from the JPEG header.</summary>
    public static unsafe (int Width, int Height) ReadSize(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.IsEmpty) throw new ImageDecodeException("Empty JPEG data");
        var decoder = Decoder.DangerousGetHandle();
        fixed (byte* src = jpeg)
        {
            if (TurboJpegNative.tjDecompressHeader3(decoder, src, new CULong((nuint)jpeg.Length), out var w, out var h, out _, out _) != 0)
            {
                throw DecoderFailure(TurboJpegNative.ErrorMessage(decoder));
            }
            CheckSize(w, h);
            return (w, h);
        }
    }

    /// <summary>
    /// Decodes to RGB8. When <paramref name="minTargetSide"/> &gt; 0 the decoder downscales in the DCT domain by the
    /// largest reduction that keeps both sides ≥ <paramref name="minTargetSide"/>.
    /// </summary>
    public static RgbImage Decode(ReadOnlySpan<byte> jpeg, int minTargetSide = 0)
    {
        var (w, h) = ReadSize(jpeg);
        var scale = ChooseScale(w, h, minTargetSide);
        byte[]? buffer = null;
        var (sw, sh) = DecodeInto(jpeg, scale, ref buffer);
        return new RgbImage(sw, sh, buffer!);
    }

    /// <summary>
    /// Decodes with a given scale into <paramref name="buffer"/>, growing it when too small (pipelines reuse it).
    /// Returns the decoded size.
    /// </summary>
    public static unsafe (int Width, int Height) DecodeInto(ReadOnlySpan<byte> jpeg, JpegScale scale, ref byte[]? buffer, bool fastDct = false)
    {
        if (jpeg.IsEmpty) throw new ImageDecodeException("Empty JPEG data");
        var decoder = Decoder.DangerousGetHandle();
        fixed (byte* src = jpeg)
        {
            var size = new CULong((nuint)jpeg.Length);
            if (TurboJpegNative.tjDecompressHeader3(decoder, src, size, out var w, out var h, out _, out var colorspace) != 0)
            {
                throw DecoderFailure(TurboJpegNative.ErrorMessage(decoder));
            }
            CheckSize(w, h);
            int sw = scale.Apply(w), sh = scale.Apply(h);
            var needed = (long)sw * sh * 3;
            if (needed > int.MaxValue / 2) throw new ImageDecodeException($"JPEG too large: {w}x{h}");
            if (buffer is null || buffer.Length < needed) buffer = new byte[needed];
            var flags = TurboJpegNative.FlagLimitScans | (fastDct ? TurboJpegNative.FlagFastDct : 0);
            var cmyk = colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck;
            if (cmyk && (t_cmyk is null || t_cmyk.Length < sw * sh * 4)) t_cmyk = new byte[sw * sh * 4];
            fixed (byte* rgb = buffer)
            fixed (byte* cmykBuffer = t_cmyk)
            {
                var dst = cmyk ? cmykBuffer : rgb;
                if (TurboJpegNative.tjDecompress2(decoder, src, size, dst, sw, sw * (cmyk ? 4 : 3), sh,
                        cmyk ? TurboJpegNative.PixelFormatCmyk : TurboJpegNative.PixelFormatRgb, flags) != 0)
                {
                    var message = TurboJpegNative.ErrorMessage(decoder);
                    // Harmless warnings still give a full image and PIL accepts them (ImageNet has files with
                    // "extraneous bytes before marker"); truncated data and every fatal error are errors.
                    if (TurboJpegNative.tjGetErrorCode(decoder) != TurboJpegNative.ErrorWarning || !IsHarmlessWarning(message))
                    {
                        throw DecoderFailure(message);
                    }
                }
                if (cmyk) CmykToRgb(cmykBuffer, rgb, sw * sh);
            }
            return (sw, sh);
        }
    }

    [ThreadStatic] private static byte[]? t_cmyk;

    // As PIL for Adobe (Photoshop) CMYK/YCCK JPEGs, whose values are stored inverted: R = C·K / 255, etc.
    private static unsafe void CmykToRgb(byte* cmyk, byte* rgb, int pixels)
    {
        for (var i = 0; i < pixels; i++)
        {
            int k = cmyk[i * 4 + 3];
            rgb[i * 3] = (byte)((cmyk[i * 4] * k + 127) / 255);
            rgb[i * 3 + 1] = (byte)((cmyk[i * 4 + 1] * k + 127) / 255);
            rgb[i * 3 + 2] = (byte)((cmyk[i * 4 + 2] * k + 127) / 255);
        }
    }

    /// <summary>Encodes 4-channel CMYK as a YCCK JPEG (for tests of CMYK input).</summary>
    internal static unsafe byte[] EncodeCmyk(byte[] cmyk, int width, int height, int quality = 95)
    {
        var encoder = Encoder.DangerousGetHandle();
        byte* output = null;
        var outSize = new CULong(0);
        try
        {
            fixed (byte* src = cmyk)
            {
                if (TurboJpegNative.tjCompress2(encoder, src, width, width * 4, height, TurboJpegNative.PixelFormatCmyk,
                        &output, &outSize, TurboJpegNative.Subsampling444, quality, 0) != 0)
                {
                    throw new ImageDecodeException(TurboJpegNative.ErrorMessage(encoder));
                }
            }
            return new ReadOnlySpan<byte>(output, checked((int)outSize.Value)).ToArray();
        }
        finally
        {
            if (output != null) TurboJpegNative.tjFree(output);
        }
    }

    private static bool IsHarmlessWarning(string message) =>
        message.Contains("extraneous bytes", StringComparison.OrdinalIgnoreCase)
        || message.Contains("JFIF", StringComparison.Ordinal)
        || message.Contains("Adobe", StringComparison.Ordinal);

    private static void CheckSize(int w, int h)
    {
        if (w <= 0 || h <= 0) throw DecoderFailure($"Invalid JPEG: image size {w}x{h} in the header");
    }

    /// <summary>Encodes RGB8 as a baseline JPEG, 4:2:0 chroma subsampling (PIL's default).</summary>
    public static unsafe byte[] Encode(RgbImage image, int quality = 90)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        var encoder = Encoder.DangerousGetHandle();
        byte* output = null;
        var outSize = new CULong(0);
        try
        {
            fixed (byte* src = image.Pixels)
            {
                if (TurboJpegNative.tjCompress2(encoder, src, image.Width, image.Stride, image.Height, TurboJpegNative.PixelFormatRgb,
                        &output, &outSize, TurboJpegNative.Subsampling420, quality, 0) != 0)
                {
                    throw new ImageDecodeException(TurboJpegNative.ErrorMessage(encoder));
                }
            }
            return new ReadOnlySpan<byte>(output, checked((int)outSize.Value)).ToArray();
        }
        finally
        {
            if (output != null) TurboJpegNative.tjFree(output);
        }
    }
}

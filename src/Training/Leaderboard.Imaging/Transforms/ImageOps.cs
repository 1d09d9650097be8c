namespace Leaderboard.Imaging.Transforms;

/// <summary>
/// In-place RGB8 image operations with PIL's semantics (<c>ImageOps</c>, <c>ImageEnhance</c>, <c>Image.transform</c>),
/// the building blocks of RandAugment and ColorJitter.
/// </summary>
public static class ImageOps
{
    /// <summary>timm's RandAugment fill colour: round(255 * ImageNet mean).</summary>
    public static readonly (byte R, byte G, byte B) MeanFill = (124, 116, 104);

    private static void ApplyLut(RgbImage image, ReadOnlySpan<byte> lut)
    {
        var px = image.Span;
        for (var i = 0; i < px.Length; i++) px[i] = lut[px[i]];
    }

    private static void ApplyLuts(RgbImage image, ReadOnlySpan<byte> lutR, ReadOnlySpan<byte> lutG, ReadOnlySpan<byte> lutB)
    {
        var px = image.Span;
        for (var i = 0; i + 2 < px.Length; i += 3)
        {
            px[i] = lutR[px[i]];
            px[i + 1] = lutG[px[i + 1]];
            px[i + 2] = lutB[px[i + 2]];
        }
    }

    private static void Histograms(RgbImage image, Span<int> hist /* 3 x 256 */)
    {
        hist.Clear();
        var px = image.Span;
        for (var i = 0; i + 2 < px.Length; i += 3)
        {
            hist[px[i]]++;
            hist[256 + px[i + 1]]++;
            hist[512 + px[i + 2]]++;
        }
    }

    public static void Invert(RgbImage image)
    {
        var px = image.Span;
        for (var i = 0; i < px.Length; i++) px[i] = (byte)(255 - px[i]);
    }

    /// <summary>Keeps the top <paramref name="bits"/> bits of each channel (0 = black).</summary>
    public static void Posterize(RgbImage image, int bits)
    {
        bits = Math.Clamp(bits, 0, 8);
        var mask = (byte)~((1 << (8 - bits)) - 1);
        var px = image.Span;
        for (var i = 0; i < px.Length; i++) px[i] &= mask;
    }

    /// <summary>Inverts values ≥ <paramref name="threshold"/>.</summary>
    public static void Solarize(RgbImage image, int threshold)
    {
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++) lut[i] = (byte)(i < threshold ? i : 255 - i);
        ApplyLut(image, lut);
    }

    /// <summary>Adds <paramref name="add"/> to values below <paramref name="threshold"/> (timm's SolarizeAdd).</summary>
    public static void SolarizeAdd(RgbImage image, int add, int threshold = 128)
    {
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++) lut[i] = (byte)(i < threshold ? Math.Min(255, i + add) : i);
        ApplyLut(image, lut);
    }

    /// <summary>PIL <c>ImageOps.autocontrast</c> (cutoff 0): stretch each channel's range to 0..255.</summary>
    public static void AutoContrast(RgbImage image)
    {
        Span<int> hist = stackalloc int[768];
        Histograms(image, hist);
        Span<byte> luts = stackalloc byte[768];
        for (var c = 0; c < 3; c++)
        {
            var h = hist.Slice(c * 256, 256);
            var lut = luts.Slice(c * 256, 256);
            int lo = 0, hi = 255;
            while (lo < 256 && h[lo] == 0) lo++;
            while (hi >= 0 && h[hi] == 0) hi--;
            if (hi <= lo)
            {
                for (var i = 0; i < 256; i++) lut[i] = (byte)i;
                continue;
            }
            var scale = 255.0 / (hi - lo);
            var offset = -lo * scale;
            for (var i = 0; i < 256; i++)
            {
                var v = (int)(i * scale + offset);
                lut[i] = (byte)Math.Clamp(v, 0, 255);
            }
        }
        ApplyLuts(image, luts[..256], luts.Slice(256, 256), luts.Slice(512, 256));
    }

    /// <summary>PIL <c>ImageOps.equalize</c>: per-channel histogram equalisation.</summary>
    public static void Equalize(RgbImage image)
    {
        Span<int> hist = stackalloc int[768];
        Histograms(image, hist);
        Span<byte> luts = stackalloc byte[768];
        for (var c = 0; c < 3; c++)
        {
            var h = hist.Slice(c * 256, 256);
            var lut = luts.Slice(c * 256, 256);
            var last = 255;
            while (last > 0 && h[last] == 0) last--;
            var total = 0;
            for (var i = 0; i < 256; i++) total += h[i];
            var step = (total - h[last]) / 255;
            if (step == 0)
            {
                for (var i = 0; i < 256; i++) lut[i] = (byte)i;
                continue;
            }
            var n = step / 2;
            for (var i = 0; i < 256; i++)
            {
                lut[i] = (byte)Math.Min(255, n / step);
                n += h[i];
            }
        }
        ApplyLuts(image, luts[..256], luts.Slice(256, 256), luts.Slice(512, 256));
    }

    private static byte Blend(int degenerate, int value, double factor)
    {
        var v = (int)(degenerate + factor * (value - degenerate));
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }

    /// <summary>PIL <c>ImageEnhance.Brightness</c>: blend with black.</summary>
    public static void Brightness(RgbImage image, double factor)
    {
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++) lut[i] = Blend(0, i, factor);
        ApplyLut(image, lut);
    }

    /// <summary>PIL <c>ImageEnhance.Contrast</c>: blend with the mean grey level.</summary>
    public static void Contrast(RgbImage image, double factor)
    {
        var px = image.Span;
        long sum = 0;
        for (var i = 0; i + 2 < px.Length; i += 3) sum += Luma(px[i], px[i + 1], px[i + 2]);
        var mean = (int)((double)sum / (image.Width * image.Height) + 0.5);
        Span<byte> lut = stackalloc byte[256];
        for (var i = 0; i < 256; i++) lut[i] = Blend(mean, i, factor);
        ApplyLut(image, lut);
    }

    /// <summary>PIL <c>ImageEnhance.Color</c> (saturation): blend with the greyscale image.</summary>
    public static void Color(RgbImage image, double factor)
    {
        var px = image.Span;
        var f = (float)factor;
        for (var i = 0; i + 2 < px.Length; i += 3)
        {
            var l = Luma(px[i], px[i + 1], px[i + 2]);
            px[i] = BlendF(l, px[i], f);
            px[i + 1] = BlendF(l, px[i + 1], f);
            px[i + 2] = BlendF(l, px[i + 2], f);
        }
    }

    private static byte BlendF(int degenerate, int value, float factor)
    {
        var v = (int)(degenerate + factor * (value - degenerate));
        return (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
    }

    /// <summary>PIL's "L" conversion (ITU-R 601-2 luma).</summary>
    public static int Luma(int r, int g, int b) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;

    /// <summary>PIL <c>ImageEnhance.Sharpness</c>: blend with the SMOOTH-filtered image (3×3, centre 5, /13; border kept).</summary>
    public static unsafe void Sharpness(RgbImage image, double factor, ref byte[]? scratch)
    {
        int w = image.Width, h = image.Height, stride = image.Stride;
        if (w < 3 || h < 3) return;
        if (scratch is null || scratch.Length < image.ByteCount) scratch = new byte[image.ByteCount];
        image.Span.CopyTo(scratch);
        var f = (float)factor;
        fixed (byte* src = scratch)
        fixed (byte* dst = image.Pixels)
        {
            for (var y = 1; y < h - 1; y++)
            {
                var up = src + (y - 1) * stride;
                var mid = src + y * stride;
                var down = src + (y + 1) * stride;
                var o = dst + y * stride;
                for (var x = 3; x < stride - 3; x++)
                {
                    var s = up[x - 3] + up[x] + up[x + 3] + mid[x - 3] + 5 * mid[x] + mid[x + 3] + down[x - 3] + down[x] + down[x + 3];
                    var smooth = (s + 6) / 13;
                    var v = (int)(smooth + f * (mid[x] - smooth));
                    o[x] = (byte)(v < 0 ? 0 : v > 255 ? 255 : v);
                }
            }
        }
    }

    /// <summary>
    /// PIL <c>Image.transform(AFFINE, (a,b,c,d,e,f), BILINEAR, fillcolor)</c>: output pixel centre (x,y) samples the input
    /// at (a·x + b·y + c, d·x + e·y + f); outside the image gets <paramref name="fill"/>.
    /// </summary>
    public static unsafe void Affine(RgbImage image, double a, double b, double c, double d, double e, double f,
        (byte R, byte G, byte B) fill, ref byte[]? scratch)
    {
        int w = image.Width, h = image.Height, stride = image.Stride;
        if (scratch is null || scratch.Length < image.ByteCount) scratch = new byte[image.ByteCount];
        image.Span.CopyTo(scratch);
        float fa = (float)a, fd = (float)d;
        fixed (byte* src = scratch)
        fixed (byte* dst = image.Pixels)
        {
            for (var y = 0; y < h; y++)
            {
                var yy = y + 0.5;
                var rowX = (float)(a * 0.5 + b * yy + c);
                var rowY = (float)(d * 0.5 + e * yy + f);
                var o = dst + y * stride;
                for (var x = 0; x < w; x++, o += 3)
                {
                    var xin = rowX + fa * x;
                    var yin = rowY + fd * x;
                    if (!(xin >= 0 && xin < w && yin >= 0 && yin < h))
                    {
                        o[0] = fill.R;
                        o[1] = fill.G;
                        o[2] = fill.B;
                        continue;
                    }
                    var fx = xin - 0.5f;
                    var fy = yin - 0.5f;
                    var x0 = (int)MathF.Floor(fx);
                    var y0 = (int)MathF.Floor(fy);
                    var dx = fx - x0;
                    var dy = fy - y0;
                    var x1 = x0 + 1 < w ? x0 + 1 : w - 1;
                    var y1 = y0 + 1 < h ? y0 + 1 : h - 1;
                    if (x0 < 0) x0 = 0;
                    if (y0 < 0) y0 = 0;
                    byte* p00 = src + y0 * stride + x0 * 3, p01 = src + y0 * stride + x1 * 3;
                    byte* p10 = src + y1 * stride + x0 * 3, p11 = src + y1 * stride + x1 * 3;
                    for (var ch = 0; ch < 3; ch++)
                    {
                        var top = p00[ch] + (p01[ch] - p00[ch]) * dx;
                        var bottom = p10[ch] + (p11[ch] - p10[ch]) * dx;
                        var v = top + (bottom - top) * dy + 0.5f;
                        o[ch] = (byte)(v <= 0 ? 0 : v >= 255 ? 255 : v);
                    }
                }
            }
        }
    }

    /// <summary>PIL <c>Image.rotate(degrees)</c> (counter-clockwise, about the centre, same size).</summary>
    public static void Rotate(RgbImage image, double degrees, (byte R, byte G, byte B) fill, ref byte[]? scratch)
    {
        var angle = -(degrees % 360.0) * Math.PI / 180.0;
        double a = Math.Round(Math.Cos(angle), 15), b = Math.Round(Math.Sin(angle), 15);
        double d = -b, e = a;
        double cx = image.Width / 2.0, cy = image.Height / 2.0;
        var c = a * -cx + b * -cy + cx;
        var f = d * -cx + e * -cy + cy;
        Affine(image, a, b, c, d, e, f, fill, ref scratch);
    }

    public static void ShearX(RgbImage image, double factor, (byte R, byte G, byte B) fill, ref byte[]? scratch) =>
        Shift(image, horizontal: true, factor, 0, fill, ref scratch);

    public static void ShearY(RgbImage image, double factor, (byte R, byte G, byte B) fill, ref byte[]? scratch) =>
        Shift(image, horizontal: false, factor, 0, fill, ref scratch);

    public static void TranslateX(RgbImage image, double pixels, (byte R, byte G, byte B) fill, ref byte[]? scratch) =>
        Shift(image, horizontal: true, 0, pixels, fill, ref scratch);

    public static void TranslateY(RgbImage image, double pixels, (byte R, byte G, byte B) fill, ref byte[]? scratch) =>
        Shift(image, horizontal: false, 0, pixels, fill, ref scratch);

    /// <summary>
    /// The axis-aligned special cases of <see cref="Affine"/> (same sampling): horizontal: x_in = x + shear·y + offset
    /// (ShearX / TranslateX, one shift per row); vertical: y_in = y + shear·x + offset (one shift per column).
    /// Linear interpolation along one axis only, so several times cheaper than the general transform.
    /// </summary>
    private static unsafe void Shift(RgbImage image, bool horizontal, double shear, double offset, (byte R, byte G, byte B) fill, ref byte[]? scratch)
    {
        int w = image.Width, h = image.Height, stride = image.Stride;
        if (scratch is null || scratch.Length < image.ByteCount) scratch = new byte[image.ByteCount];
        image.Span.CopyTo(scratch);
        var lines = horizontal ? h : w;   // one shift per line
        var length = horizontal ? w : h;  // samples along the shifted axis
        Span<int> start = lines <= 1024 ? stackalloc int[lines] : new int[lines];
        Span<float> frac = lines <= 1024 ? stackalloc float[lines] : new float[lines];
        for (var l = 0; l < lines; l++)
        {
            var shift = (float)(shear * (l + 0.5) + offset); // sample position = pos + shift (pixel-centre convention)
            var i0 = (int)MathF.Floor(shift);
            start[l] = i0;
            frac[l] = shift - i0;
        }
        fixed (byte* src = scratch)
        fixed (byte* dst = image.Pixels)
        {
            for (var y = 0; y < h; y++)
            {
                var o = dst + y * stride;
                for (var x = 0; x < w; x++, o += 3)
                {
                    var l = horizontal ? y : x;
                    var pos = horizontal ? x : y;
                    var lower = pos + start[l];
                    var t = frac[l];
                    var inside = pos + 0.5f + start[l] + t; // the general transform's input coordinate
                    if (!(inside >= 0 && inside < length))
                    {
                        o[0] = fill.R;
                        o[1] = fill.G;
                        o[2] = fill.B;
                        continue;
                    }
                    var upper = lower + 1 < length ? lower + 1 : length - 1;
                    if (lower < 0) lower = 0;
                    byte* p0, p1;
                    if (horizontal)
                    {
                        p0 = src + y * stride + lower * 3;
                        p1 = src + y * stride + upper * 3;
                    }
                    else
                    {
                        p0 = src + lower * stride + x * 3;
                        p1 = src + upper * stride + x * 3;
                    }
                    for (var ch = 0; ch < 3; ch++)
                    {
                        var v = p0[ch] + (p1[ch] - p0[ch]) * t + 0.5f;
                        o[ch] = (byte)(v <= 0 ? 0 : v >= 255 ? 255 : v);
                    }
                }
            }
        }
    }

    /// <summary>Mirrors left-right in place.</summary>
    public static void FlipHorizontal(RgbImage image)
    {
        int w = image.Width, stride = image.Stride;
        var px = image.Span;
        for (var y = 0; y < image.Height; y++)
        {
            var row = px.Slice(y * stride, stride);
            for (int l = 0, r = (w - 1) * 3; l < r; l += 3, r -= 3)
            {
                (row[l], row[r]) = (row[r], row[l]);
                (row[l + 1], row[r + 1]) = (row[r + 1], row[l + 1]);
                (row[l + 2], row[r + 2]) = (row[r + 2], row[l + 2]);
            }
        }
    }
}

using System.Numerics;
using System.Runtime.InteropServices;

namespace Leaderboard.Imaging.Transforms;

public enum Interpolation
{
    Bilinear,
    Bicubic,
}

/// <summary>
/// Separable resampling of an RGB8 region to an RGB8 output, with PIL's antialiasing convention (the filter
/// support widens by the downscale factor), so results match <c>PIL.Image.resize</c> / torchvision's
/// <c>resized_crop</c> closely. Source coordinates are continuous: output pixel <c>i</c> samples around
/// <c>x0 + (i + 0.5) * scaleX</c>; taps are clamped to <c>[clampX0, clampX1)</c> (the crop box, as PIL crops first).
/// </summary>
internal static class Resampler
{
    private sealed class Coefficients
    {
        public int[] Start = [];
        public int[] Count = [];
        public float[] Weights = [];
        public int KernelSize;
    }

    [ThreadStatic] private static Coefficients? t_horizontal;
    [ThreadStatic] private static Coefficients? t_vertical;
    [ThreadStatic] private static float[]? t_temp;
    [ThreadStatic] private static float[]? t_row;

    private static double Bilinear(double x)
    {
        x = Math.Abs(x);
        return x < 1 ? 1 - x : 0;
    }

    private static double Bicubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }

    private static void Compute(Coefficients c, int outSize, double x0, double scale, int clamp0, int clamp1, Interpolation interpolation)
    {
        var support = interpolation == Interpolation.Bicubic ? 2.0 : 1.0;
        var filterScale = Math.Max(scale, 1.0);
        var radius = support * filterScale;
        var kernelSize = (int)Math.Ceiling(radius) * 2 + 1;
        if (c.Start.Length < outSize)
        {
            c.Start = new int[outSize];
            c.Count = new int[outSize];
        }
        if (c.Weights.Length < outSize * kernelSize) c.Weights = new float[outSize * kernelSize];
        c.KernelSize = kernelSize;
        var inv = 1.0 / filterScale;
        Span<double> w = stackalloc double[kernelSize];
        for (var i = 0; i < outSize; i++)
        {
            var center = x0 + (i + 0.5) * scale;
            var min = Math.Max((int)Math.Floor(center - radius + 0.5), clamp0);
            var max = Math.Min((int)Math.Floor(center + radius + 0.5), clamp1);
            var count = Math.Max(max - min, 1);
            if (min >= clamp1) min = clamp1 - 1;
            count = Math.Min(count, kernelSize);
            double total = 0;
            for (var k = 0; k < count; k++)
            {
                var v = interpolation == Interpolation.Bicubic ? Bicubic((min + k - center + 0.5) * inv) : Bilinear((min + k - center + 0.5) * inv);
                w[k] = v;
                total += v;
            }
            var weights = c.Weights.AsSpan(i * kernelSize, kernelSize);
            if (total == 0)
            {
                weights.Clear();
                weights[0] = 1;
            }
            else
            {
                for (var k = 0; k < count; k++) weights[k] = (float)(w[k] / total);
            }
            c.Start[i] = min;
            c.Count[i] = count;
        }
    }

    /// <summary>Resamples the region of <paramref name="src"/> into <paramref name="dst"/> (dstW x dstH, RGB8).</summary>
    public static void Resize(RgbImage src, double x0, double y0, double regionW, double regionH,
        int clampX0, int clampY0, int clampX1, int clampY1,
        Span<byte> dst, int dstW, int dstH, Interpolation interpolation)
    {
        var h = t_horizontal ??= new Coefficients();
        var v = t_vertical ??= new Coefficients();
        clampX0 = Math.Clamp(clampX0, 0, src.Width - 1);
        clampY0 = Math.Clamp(clampY0, 0, src.Height - 1);
        clampX1 = Math.Clamp(clampX1, clampX0 + 1, src.Width);
        clampY1 = Math.Clamp(clampY1, clampY0 + 1, src.Height);
        Compute(h, dstW, x0, regionW / dstW, clampX0, clampX1, interpolation);
        Compute(v, dstH, y0, regionH / dstH, clampY0, clampY1, interpolation);

        // Source rows the vertical pass needs.
        var rowFirst = v.Start[0];
        var rowLast = 0;
        for (var i = 0; i < dstH; i++)
        {
            rowFirst = Math.Min(rowFirst, v.Start[i]);
            rowLast = Math.Max(rowLast, v.Start[i] + v.Count[i]);
        }
        var rows = rowLast - rowFirst;
        var rowLen = dstW * 3;
        var temp = t_temp;
        if (temp is null || temp.Length < rows * rowLen) t_temp = temp = new float[Math.Max(rows * rowLen, 1 << 16)];

        // Horizontal pass: source bytes -> float rows.
        var srcPixels = src.Pixels;
        var srcStride = src.Stride;
        var hk = h.KernelSize;
        for (var r = 0; r < rows; r++)
        {
            var srcRow = srcPixels.AsSpan((rowFirst + r) * srcStride, srcStride);
            var outRow = temp.AsSpan(r * rowLen, rowLen);
            for (var x = 0; x < dstW; x++)
            {
                var start = h.Start[x] * 3;
                var count = h.Count[x];
                var weights = h.Weights.AsSpan(x * hk, count);
                float sr = 0, sg = 0, sb = 0;
                for (var k = 0; k < weights.Length; k++)
                {
                    var wk = weights[k];
                    var p = start + k * 3;
                    sr += srcRow[p] * wk;
                    sg += srcRow[p + 1] * wk;
                    sb += srcRow[p + 2] * wk;
                }
                outRow[x * 3] = sr;
                outRow[x * 3 + 1] = sg;
                outRow[x * 3 + 2] = sb;
            }
        }

        // Vertical pass: float rows -> bytes (rounded, clamped).
        var acc = t_row;
        if (acc is null || acc.Length < rowLen) t_row = acc = new float[Math.Max(rowLen, 1024)];
        var vk = v.KernelSize;
        var accSpan = acc.AsSpan(0, rowLen);
        var width = Vector<float>.Count;
        for (var y = 0; y < dstH; y++)
        {
            var weights = v.Weights.AsSpan(y * vk, v.Count[y]);
            var baseRow = v.Start[y] - rowFirst;
            accSpan.Clear();
            for (var k = 0; k < weights.Length; k++)
            {
                var wk = new Vector<float>(weights[k]);
                var row = temp.AsSpan((baseRow + k) * rowLen, rowLen);
                var i = 0;
                var accV = MemoryMarshal.Cast<float, Vector<float>>(accSpan);
                var rowV = MemoryMarshal.Cast<float, Vector<float>>(row);
                for (var j = 0; j < accV.Length; j++) accV[j] += rowV[j] * wk;
                i = accV.Length * width;
                for (; i < rowLen; i++) accSpan[i] += row[i] * weights[k];
            }
            var outRow = dst.Slice(y * rowLen, rowLen);
            for (var i = 0; i < rowLen; i++)
            {
                var value = accSpan[i] + 0.5f;
                outRow[i] = value <= 0 ? (byte)0 : value >= 255 ? (byte)255 : (byte)value;
            }
        }
    }
}

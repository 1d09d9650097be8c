using System.Numerics;
using System.Runtime.Intrinsics;

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
/// <c>mirror</c> writes the output flipped left-right (a free horizontal flip).
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
    public static unsafe void Resize(RgbImage src, double x0, double y0, double regionW, double regionH,
        int clampX0, int clampY0, int clampX1, int clampY1,
        Span<byte> dst, int dstW, int dstH, Interpolation interpolation, bool mirror = false)
    {
        var h = t_horizontal ??= new Coefficients();
        var v = t_vertical ??= new Coefficients();
        clampX0 = Math.Clamp(clampX0, 0, src.Width - 1);
        clampY0 = Math.Clamp(clampY0, 0, src.Height - 1);
        clampX1 = Math.Clamp(clampX1, clampX0 + 1, src.Width);
        clampY1 = Math.Clamp(clampY1, clampY0 + 1, src.Height);
        Compute(h, dstW, x0, regionW / dstW, clampX0, clampX1, interpolation);
        Compute(v, dstH, y0, regionH / dstH, clampY0, clampY1, interpolation);
        if (dst.Length < dstW * dstH * 3) throw new ArgumentException("Destination too small.", nameof(dst));

        // The source window both passes need.
        int rowFirst = int.MaxValue, rowLast = 0, colFirst = int.MaxValue, colLast = 0;
        for (var i = 0; i < dstH; i++)
        {
            rowFirst = Math.Min(rowFirst, v.Start[i]);
            rowLast = Math.Max(rowLast, v.Start[i] + v.Count[i]);
        }
        for (var i = 0; i < dstW; i++)
        {
            colFirst = Math.Min(colFirst, h.Start[i]);
            colLast = Math.Max(colLast, h.Start[i] + h.Count[i]);
        }
        var rows = rowLast - rowFirst;
        var winLen = (colLast - colFirst) * 3;
        // Row pitch rounded up to whole vectors, +4 so the horizontal pass may read one float past a pixel.
        var pitch = (winLen + 4 + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        var needed = (rows + dstH) * pitch;
        var temp = t_temp;
        if (temp is null || temp.Length < needed) t_temp = temp = new float[Math.Max(needed, 1 << 16)];

        fixed (byte* srcBase = src.Pixels)
        fixed (float* tempBase = temp)
        fixed (byte* dstBase = dst)
        fixed (float* vWeights = v.Weights)
        fixed (float* hWeights = h.Weights)
        {
            var window = tempBase;                 // rows x pitch: the source window as floats
            var vertical = tempBase + rows * pitch; // dstH x pitch: after the vertical pass
            var srcStride = src.Stride;

            // 1. Bytes -> floats.
            var vb = Vector<byte>.Count;
            for (var r = 0; r < rows; r++)
            {
                var s = srcBase + (rowFirst + r) * srcStride + colFirst * 3;
                var d = window + r * pitch;
                var i = 0;
                for (; i + vb <= winLen; i += vb)
                {
                    var bytes = Vector.Load(s + i);
                    Vector.Widen(bytes, out var lo16, out var hi16);
                    Vector.Widen(lo16, out var a, out var b);
                    Vector.Widen(hi16, out var c, out var e);
                    var n = Vector<uint>.Count;
                    Vector.ConvertToSingle(a).Store(d + i);
                    Vector.ConvertToSingle(b).Store(d + i + n);
                    Vector.ConvertToSingle(c).Store(d + i + 2 * n);
                    Vector.ConvertToSingle(e).Store(d + i + 3 * n);
                }
                for (; i < winLen; i++) d[i] = s[i];
                for (; i < pitch; i++) d[i] = 0;
            }

            // 2. Vertical pass (vectorised over the row).
            var vk = v.KernelSize;
            var vf = Vector<float>.Count;
            for (var y = 0; y < dstH; y++)
            {
                var count = v.Count[y];
                var w = vWeights + y * vk;
                var baseRow = window + (v.Start[y] - rowFirst) * pitch;
                var outRow = vertical + y * pitch;
                for (var i = 0; i < pitch; i += vf)
                {
                    var acc = Vector.Load(baseRow + i) * w[0];
                    for (var k = 1; k < count; k++) acc += Vector.Load(baseRow + k * pitch + i) * w[k];
                    acc.Store(outRow + i);
                }
            }

            // 3. Horizontal pass: one 4-float vector (r, g, b, next) per tap, rounded and clamped to bytes.
            var hk = h.KernelSize;
            var half = Vector128.Create(0.5f);
            var zero = Vector128<float>.Zero;
            var max = Vector128.Create(255f);
            for (var y = 0; y < dstH; y++)
            {
                var row = vertical + y * pitch;
                var outRow = dstBase + y * dstW * 3;
                for (var x = 0; x < dstW; x++)
                {
                    var o = (mirror ? dstW - 1 - x : x) * 3;
                    var count = h.Count[x];
                    var w = hWeights + x * hk;
                    var p = row + (h.Start[x] - colFirst) * 3;
                    var acc = Vector128.Load(p) * w[0];
                    for (var k = 1; k < count; k++) acc += Vector128.Load(p + k * 3) * w[k];
                    acc = Vector128.Min(Vector128.Max(acc + half, zero), max);
                    var ints = Vector128.ConvertToInt32(acc);
                    outRow[o] = (byte)ints.GetElement(0);
                    outRow[o + 1] = (byte)ints.GetElement(1);
                    outRow[o + 2] = (byte)ints.GetElement(2);
                }
            }
        }
    }
}

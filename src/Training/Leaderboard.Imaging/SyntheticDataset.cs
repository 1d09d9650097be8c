using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leaderboard.Imaging;

public sealed record SynthOptions(int Classes = 10, int Size = 64, int TrainPerClass = 300, int ValPerClass = 50, int Seed = 0);

public sealed record SynthProgress(int Written, int Total);

/// <summary>
/// Procedural ImageFolder datasets for the CPU track. Each class is a local motif — oriented stripes (4 angles),
/// checkerboard, dot lattice, ring, plus, triangle, hollow square (then combinations for more than 10 classes) — drawn
/// once per image at a random position, scale, orientation jitter and random colours over random clutter (gradient,
/// soft blobs, rectangles) with pixel noise. Colour carries no class information; the motif's local structure does.
/// Output is deterministic for the same options: same bytes.
/// </summary>
public static class SyntheticDataset
{
    public const int GeneratorVersion = 1;
    private const int MotifKinds = 10;

    private static readonly string[] MotifNames =
    [
        "horizontal stripes", "vertical stripes", "diagonal stripes (45°)", "diagonal stripes (135°)", "checkerboard",
        "dot lattice", "ring", "plus", "triangle", "hollow square",
    ];

    public static string ClassName(int index, int classes) => "c" + index.ToString(classes > 100 ? "D3" : "D2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes <c>dir/train/cNN/*.jpeg</c>, <c>dir/val/cNN/*.jpeg</c> and <c>dir/dataset.json</c> (written last: a
    /// folder whose dataset.json matches the options and holds the expected number of images is left as is).
    /// </summary>
    public static void Generate(string dir, SynthOptions options, IProgress<SynthProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Classes < 2 || options.Classes > MotifKinds * MotifKinds) throw new ArgumentOutOfRangeException(nameof(options), $"Classes must be 2..{MotifKinds * MotifKinds}.");
        if (options.Size < 16 || options.Size > 1024) throw new ArgumentOutOfRangeException(nameof(options), "Size must be 16..1024.");
        if (options.TrainPerClass < 1 || options.ValPerClass < 0) throw new ArgumentOutOfRangeException(nameof(options), "TrainPerClass must be ≥ 1 and ValPerClass ≥ 0.");

        var manifestPath = Path.Combine(dir, "dataset.json");
        var manifest = JsonSerializer.Serialize(Describe(options), JsonOptions);
        var total = options.Classes * (options.TrainPerClass + options.ValPerClass);
        if (File.Exists(manifestPath) && File.ReadAllText(manifestPath) == manifest && CountImages(dir) == total)
        {
            progress?.Report(new SynthProgress(total, total));
            return;
        }
        foreach (var split in Splits)
        {
            for (var c = 0; c < options.Classes; c++) Directory.CreateDirectory(Path.Combine(dir, split, ClassName(c, options.Classes)));
        }

        var written = 0;
        var reportEvery = Math.Max(1, total / 100);
        var perClassTotal = options.TrainPerClass + options.ValPerClass;
        Parallel.For(0, total, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var cls = i / perClassTotal;
            var k = i % perClassTotal;
            var isTrain = k < options.TrainPerClass;
            var index = isTrain ? k : k - options.TrainPerClass;
            var split = isTrain ? "train" : "val";
            var className = ClassName(cls, options.Classes);
            var image = Render(options, cls, isTrain ? 0 : 1, index);
            var bytes = Jpeg.Encode(image, 90);
            File.WriteAllBytes(Path.Combine(dir, split, className, $"{className}_{index:D5}.jpeg"), bytes);
            var done = Interlocked.Increment(ref written);
            if (done % reportEvery == 0 || done == total) progress?.Report(new SynthProgress(done, total));
        });
        File.WriteAllText(manifestPath, manifest);
    }

    private static readonly string[] Splits = ["train", "val"];

    private static int CountImages(string dir) =>
        Splits.Select(split => Path.Combine(dir, split))
            .Where(Directory.Exists)
            .Sum(d => Directory.EnumerateFiles(d, "*.jpeg", SearchOption.AllDirectories).Count());

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private sealed record Manifest(string Kind, int GeneratorVersion, int Classes, int Size, int TrainPerClass, int ValPerClass, int Seed,
        IReadOnlyList<string> ClassNames, IReadOnlyList<string> ClassMotifs, string Description);

    private static Manifest Describe(SynthOptions o)
    {
        var names = Enumerable.Range(0, o.Classes).Select(c => ClassName(c, o.Classes)).ToArray();
        var motifs = Enumerable.Range(0, o.Classes).Select(c => c < MotifKinds
            ? MotifNames[c]
            : $"{MotifNames[c % MotifKinds]} + {MotifNames[(c / MotifKinds + c) % MotifKinds]}").ToArray();
        return new Manifest("synthetic", GeneratorVersion, o.Classes, o.Size, o.TrainPerClass, o.ValPerClass, o.Seed, names, motifs,
            "Procedural images: one class motif at a random position/scale/colour over random clutter and noise; colour does not identify the class.");
    }

    private static int SeedFor(int seed, int split, int cls, int index)
    {
        ulong x = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)split << 56 ^ (ulong)(uint)cls << 32 ^ (uint)index;
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (int)(x & 0x7FFFFFFF);
    }

    /// <summary>Renders one image (deterministic in its arguments).</summary>
    public static RgbImage Render(SynthOptions options, int cls, int split, int index)
    {
        var s = options.Size;
        var rng = new Random(SeedFor(options.Seed, split, cls, index));
        var px = new float[s * s * 3];

        // Background: a two-colour linear gradient.
        var c1 = RandomColor(rng);
        var c2 = RandomColor(rng);
        var angle = rng.NextDouble() * Math.PI * 2;
        double gx = Math.Cos(angle), gy = Math.Sin(angle);
        for (var y = 0; y < s; y++)
        {
            for (var x = 0; x < s; x++)
            {
                var t = (float)Math.Clamp(0.5 + ((x - s / 2.0) * gx + (y - s / 2.0) * gy) / s, 0, 1);
                var o = (y * s + x) * 3;
                for (var c = 0; c < 3; c++) px[o + c] = c1[c] + (c2[c] - c1[c]) * t;
            }
        }
        // Clutter: soft blobs and solid rectangles of random colours.
        var blobs = 3 + rng.Next(4);
        for (var b = 0; b < blobs; b++)
        {
            var color = RandomColor(rng);
            double cx = rng.NextDouble() * s, cy = rng.NextDouble() * s;
            double rx = s * (0.08 + rng.NextDouble() * 0.2), ry = s * (0.08 + rng.NextDouble() * 0.2);
            var alpha = 0.25 + rng.NextDouble() * 0.4;
            Paint(px, s, (x, y) =>
            {
                double dx = (x - cx) / rx, dy = (y - cy) / ry;
                var d = dx * dx + dy * dy;
                return d >= 1 ? 0 : alpha * (1 - d);
            }, color);
        }
        var rects = 1 + rng.Next(3);
        for (var r = 0; r < rects; r++)
        {
            var color = RandomColor(rng);
            double w = s * (0.08 + rng.NextDouble() * 0.17), h = s * (0.08 + rng.NextDouble() * 0.17);
            double x0 = rng.NextDouble() * (s - w), y0 = rng.NextDouble() * (s - h);
            Paint(px, s, (x, y) => x >= x0 && x < x0 + w && y >= y0 && y < y0 + h ? 1 : 0, color);
        }

        // The class motif (or two for classes beyond the 10 kinds).
        DrawMotif(px, s, cls % MotifKinds, rng);
        if (cls >= MotifKinds) DrawMotif(px, s, (cls / MotifKinds + cls) % MotifKinds, rng);

        // Sensor noise.
        var sigma = 4 + rng.NextDouble() * 10;
        var image = new RgbImage(s, s);
        for (var i = 0; i < px.Length; i++)
        {
            var v = px[i] + sigma * Gaussian(rng) + 0.5;
            image.Pixels[i] = (byte)Math.Clamp(v, 0, 255);
        }
        return image;
    }

    private static double Gaussian(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static float[] RandomColor(Random rng) => [rng.Next(256), rng.Next(256), rng.Next(256)];

    private static float Luma(float[] c) => 0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2];

    private static float[] ContrastingColor(Random rng, float[] other)
    {
        for (var attempt = 0; ; attempt++)
        {
            var c = RandomColor(rng);
            if (Math.Abs(Luma(c) - Luma(other)) >= 70 || attempt > 50) return c;
        }
    }

    /// <summary>Alpha-composites <paramref name="color"/> with 2×2 supersampled coverage.</summary>
    private static void Paint(float[] px, int s, Func<double, double, double> coverage, float[] color)
    {
        for (var y = 0; y < s; y++)
        {
            for (var x = 0; x < s; x++)
            {
                var a = (coverage(x + 0.25, y + 0.25) + coverage(x + 0.75, y + 0.25) + coverage(x + 0.25, y + 0.75) + coverage(x + 0.75, y + 0.75)) / 4;
                if (a <= 0) continue;
                var o = (y * s + x) * 3;
                for (var c = 0; c < 3; c++) px[o + c] += (float)((color[c] - px[o + c]) * a);
            }
        }
    }

    private static void DrawMotif(float[] px, int s, int kind, Random rng)
    {
        var size = s * (0.45 + rng.NextDouble() * 0.25);
        var half = size / 2;
        var cx = half + rng.NextDouble() * (s - size);
        var cy = half + rng.NextDouble() * (s - size);
        var jitter = (rng.NextDouble() - 0.5) * (Math.PI / 180 * 24); // ±12°
        var fg = RandomColor(rng);
        var bg = ContrastingColor(rng, fg);
        var circleMask = rng.Next(2) == 0;
        var phase = rng.NextDouble();
        double cos = Math.Cos(jitter), sin = Math.Sin(jitter);

        // Local coordinates: u, v in [-1, 1] over the motif box, rotated by the jitter.
        (double U, double V) Local(double x, double y)
        {
            double dx = (x - cx) / half, dy = (y - cy) / half;
            return (dx * cos + dy * sin, -dx * sin + dy * cos);
        }
        bool InMask(double u, double v) => circleMask ? u * u + v * v <= 1 : Math.Max(Math.Abs(u), Math.Abs(v)) <= 0.86;

        if (kind <= 5)
        {
            // Textures: two colours inside a circle or square patch.
            var period = s * (kind == 4 ? 0.16 + rng.NextDouble() * 0.06 : kind == 5 ? 0.13 + rng.NextDouble() * 0.05 : 0.10 + rng.NextDouble() * 0.05);
            var p = period / half; // period in local units
            var stripeAngle = kind switch { 0 => 0.0, 1 => Math.PI / 2, 2 => Math.PI / 4, 3 => -Math.PI / 4, _ => 0.0 };
            double sa = Math.Sin(stripeAngle), ca = Math.Cos(stripeAngle);
            Paint(px, s, (x, y) =>
            {
                var (u, v) = Local(x, y);
                return InMask(u, v) ? 1 : 0;
            }, bg);
            Paint(px, s, (x, y) =>
            {
                var (u, v) = Local(x, y);
                if (!InMask(u, v)) return 0;
                switch (kind)
                {
                    case <= 3:
                        var t = (-u * sa + v * ca) / p + phase;
                        return t - Math.Floor(t) < 0.5 ? 1 : 0;
                    case 4:
                        var a = (int)Math.Floor(u / (p / 2) + phase * 2) + (int)Math.Floor(v / (p / 2) + phase * 2);
                        return (a & 1) == 0 ? 1 : 0;
                    default:
                        var du = u / p + phase - Math.Floor(u / p + phase) - 0.5;
                        var dv = v / p + phase - Math.Floor(v / p + phase) - 0.5;
                        return du * du + dv * dv <= 0.3 * 0.3 ? 1 : 0;
                }
            }, fg);
            return;
        }

        // Shapes in one colour.
        var thickness = 0.28 + rng.NextDouble() * 0.12;
        Paint(px, s, (x, y) =>
        {
            var (u, v) = Local(x, y);
            switch (kind)
            {
                case 6:
                    var r = Math.Sqrt(u * u + v * v);
                    return r <= 1 && r >= 1 - thickness ? 1 : 0;
                case 7:
                    return (Math.Abs(u) <= thickness / 2 && Math.Abs(v) <= 1) || (Math.Abs(v) <= thickness / 2 && Math.Abs(u) <= 1) ? 1 : 0;
                case 8:
                    // Upward triangle with apex (0,-1), base y = 0.8.
                    if (v < -1 || v > 0.8) return 0;
                    var halfWidth = (v + 1) / 1.8 * 0.95;
                    return Math.Abs(u) <= halfWidth ? 1 : 0;
                default:
                    var m = Math.Max(Math.Abs(u), Math.Abs(v));
                    return m <= 0.85 && m >= 0.85 - thickness * 0.85 ? 1 : 0;
            }
        }, fg);
    }
}

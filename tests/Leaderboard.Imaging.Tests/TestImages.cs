using Leaderboard.Imaging;

namespace Leaderboard.Imaging.Tests;

/// <summary>A temporary folder deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lb-imaging-" + Guid.NewGuid().ToString("N")[..12]);

    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class TestImages
{
    /// <summary>A smooth, deterministic test image (gradients + a disc), JPEG-friendly.</summary>
    public static RgbImage Gradient(int width, int height, int seed = 0)
    {
        var image = new RgbImage(width, height);
        var rng = new Random(seed);
        double cx = width * (0.3 + 0.4 * rng.NextDouble()), cy = height * (0.3 + 0.4 * rng.NextDouble());
        var r = Math.Min(width, height) * 0.25;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var o = (y * width + x) * 3;
                var inDisc = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
                image.Pixels[o] = (byte)(255 * x / Math.Max(1, width - 1));
                image.Pixels[o + 1] = (byte)(255 * y / Math.Max(1, height - 1));
                image.Pixels[o + 2] = (byte)(inDisc ? 230 : 40);
            }
        }
        return image;
    }

    /// <summary>Left half one colour, right half another (for flip tests).</summary>
    public static RgbImage Halves(int width, int height)
    {
        var image = new RgbImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var o = (y * width + x) * 3;
                var left = x < width / 2;
                image.Pixels[o] = (byte)(left ? 220 : 20);
                image.Pixels[o + 1] = 100;
                image.Pixels[o + 2] = (byte)(left ? 20 : 220);
            }
        }
        return image;
    }

    public static double Psnr(RgbImage a, RgbImage b)
    {
        double sum = 0;
        for (var i = 0; i < a.ByteCount; i++)
        {
            double d = a.Pixels[i] - b.Pixels[i];
            sum += d * d;
        }
        var mse = sum / a.ByteCount;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    /// <summary>Writes an ImageFolder: root/split/class/img_i.jpeg with small gradient images.</summary>
    public static void WriteFolder(string root, string split, int classes, int perClass, int width = 40, int height = 30)
    {
        for (var c = 0; c < classes; c++)
        {
            var dir = System.IO.Path.Combine(root, split, $"class{c}");
            Directory.CreateDirectory(dir);
            for (var i = 0; i < perClass; i++)
            {
                File.WriteAllBytes(System.IO.Path.Combine(dir, $"img_{i:D3}.jpeg"), Jpeg.Encode(Gradient(width, height, c * 1000 + i)));
            }
        }
    }
}

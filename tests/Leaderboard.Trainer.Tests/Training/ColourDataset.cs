using Leaderboard.Imaging;

namespace Leaderboard.Trainer.Tests.Training;

/// <summary>An ImageFolder of 16 px JPEGs whose classes differ by colour (red, green, blue, yellow) under pixel noise:
/// learnable in a few dozen steps, so a short run shows whether a recipe trains at all.</summary>
public sealed class ColourDataset : IDisposable
{
    public const int Classes = 4;
    private static readonly byte[][] Colours = [[200, 40, 40], [40, 200, 40], [40, 40, 200], [200, 200, 40]];

    public string Root { get; } = Directory.CreateTempSubdirectory("lb-trainer-colours-").FullName;

    public ColourDataset()
    {
        var rng = new Random(5);
        foreach (var (split, count) in new[] { ("train", 48), ("val", 8) })
        {
            for (int c = 0; c < Classes; c++)
            {
                string dir = Directory.CreateDirectory(Path.Combine(Root, split, $"c{c}")).FullName;
                for (int i = 0; i < count; i++)
                {
                    var image = new RgbImage(16, 16);
                    for (int p = 0; p < image.Pixels.Length; p++)
                        image.Pixels[p] = (byte)Math.Clamp(Colours[c][p % 3] + rng.Next(-60, 61), 0, 255);
                    File.WriteAllBytes(Path.Combine(dir, $"{i:D3}.jpeg"), Jpeg.Encode(image));
                }
            }
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

using System.Security.Cryptography;
using Leaderboard.Imaging;

namespace Leaderboard.Imaging.Tests;

public class SyntheticDatasetTests
{
    private static readonly SynthOptions Small = new(Classes: 3, Size: 32, TrainPerClass: 4, ValPerClass: 2, Seed: 7);

    private static string HashTree(string dir)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(dir, f)));
            sha.AppendData(File.ReadAllBytes(f));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    [Fact]
    public void Writes_the_image_folder_layout_and_a_manifest()
    {
        using var dir = new TempDir();
        var reports = new List<SynthProgress>();
        SyntheticDataset.Generate(dir.Path, Small, new SyncProgress<SynthProgress>(reports.Add));
        var train = ImageFolder.Open(dir.Path, "train");
        var val = ImageFolder.Open(dir.Path, "val", train.Classes);
        Assert.Equal(["c00", "c01", "c02"], train.Classes);
        Assert.Equal(12, train.Count);
        Assert.Equal(6, val.Count);
        Assert.True(File.Exists(dir.Sub("dataset.json")));
        Assert.Contains("\"classes\": 3", File.ReadAllText(dir.Sub("dataset.json")));
        var image = Jpeg.Decode(File.ReadAllBytes(train.Samples[0].Path));
        Assert.Equal((32, 32), (image.Width, image.Height));
        Assert.Equal(new SynthProgress(18, 18), reports[^1]);

        // A complete folder is left alone; a damaged one is rewritten.
        var stamp = File.GetLastWriteTimeUtc(train.Samples[0].Path);
        SyntheticDataset.Generate(dir.Path, Small);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(train.Samples[0].Path));
        File.Delete(train.Samples[1].Path);
        SyntheticDataset.Generate(dir.Path, Small);
        Assert.True(File.Exists(train.Samples[1].Path));
    }

    [Fact]
    public void Same_seed_gives_the_same_bytes_and_another_seed_differs()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        using var c = new TempDir();
        SyntheticDataset.Generate(a.Path, Small);
        SyntheticDataset.Generate(b.Path, Small);
        SyntheticDataset.Generate(c.Path, Small with { Seed = 8 });
        Assert.Equal(HashTree(a.Path), HashTree(b.Path));
        Assert.NotEqual(HashTree(a.Path), HashTree(c.Path));
    }

    [Fact]
    public void Colour_statistics_do_not_separate_classes()
    {
        // The mean colour of each class should be close to the overall mean (colours are random per image).
        var options = new SynthOptions(Classes: 10, Size: 32, Seed: 1);
        var means = Enumerable.Range(0, 10).Select(c => Enumerable.Range(0, 40)
            .Select(i => SyntheticDataset.Render(options, c, 0, i).Pixels.Average(p => (double)p)).Average()).ToArray();
        Assert.True(means.Max() - means.Min() < 25, string.Join(", ", means.Select(m => m.ToString("F0"))));
    }
}

/// <summary>IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly object _lock = new();
    public void Report(T value)
    {
        lock (_lock) report(value);
    }
}

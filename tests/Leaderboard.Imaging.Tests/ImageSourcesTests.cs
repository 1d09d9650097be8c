using System.Text.Json;
using Leaderboard.Imaging;

namespace Leaderboard.Imaging.Tests;

public class ImageSourcesTests
{
    [Fact]
    public void Hold_out_splits_each_class_deterministically_without_overlap()
    {
        using var dir = new TempDir();
        TestImages.WriteFolder(dir.Path, "train", 3, 10, 8, 8);
        var folder = ImageFolder.Open(dir.Path, "train");
        var (train, held) = ImageSources.HoldOut(folder, 0.2, seed: 1);
        Assert.Equal(24, train.Count);
        Assert.Equal(6, held.Count);
        Assert.Empty(train.Indices.Intersect(held.Indices));
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(2, Enumerable.Range(0, held.Count).Count(i => held.GetLabel(i) == c)));
        Assert.Equal(held.Indices, ImageSources.HoldOut(folder, 0.2, seed: 1).HeldOut.Indices);
        Assert.NotEqual(held.Indices, ImageSources.HoldOut(folder, 0.2, seed: 2).HeldOut.Indices);
    }

    [Fact]
    public void Data_bench_reports_snake_case_json()
    {
        using var dir = new TempDir();
        TestImages.WriteFolder(dir.Path, "train", 2, 6, 64, 48);
        var result = DataBench.Run(dir.Path, 32, "deit", 2, maxImages: 10);
        Assert.Equal(10, result.Images);
        Assert.Equal(2, result.Threads);
        Assert.True(result.ImagesPerSecond > 0);
        using var json = JsonDocument.Parse(result.ToJson());
        foreach (var key in new[] { "images_per_second", "images_per_second_per_core", "threads", "images", "seconds" })
        {
            Assert.True(json.RootElement.TryGetProperty(key, out _), key);
        }
    }
}

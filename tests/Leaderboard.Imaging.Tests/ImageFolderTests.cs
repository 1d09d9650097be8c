using Leaderboard.Imaging;

namespace Leaderboard.Imaging.Tests;

public class ImageFolderTests
{
    [Fact]
    public void Opens_classes_sorted_ordinally_with_labels()
    {
        using var dir = new TempDir();
        foreach (var c in new[] { "b", "B", "a" })
        {
            Directory.CreateDirectory(dir.Sub("train", c));
            File.WriteAllBytes(dir.Sub("train", c, "x.JPEG"), Jpeg.Encode(TestImages.Gradient(8, 8)));
            File.WriteAllBytes(dir.Sub("train", c, "y.jpg"), Jpeg.Encode(TestImages.Gradient(8, 8)));
            File.WriteAllText(dir.Sub("train", c, "notes.txt"), "ignored");
        }
        var folder = ImageFolder.Open(dir.Path, "train");
        Assert.Equal(["B", "a", "b"], folder.Classes);
        Assert.Equal(6, folder.Count);
        Assert.Equal([0, 0, 1, 1, 2, 2], folder.Samples.Select(s => s.Label));
        Assert.EndsWith("x.JPEG", folder.Samples[0].Path);
        var bytes = folder.ReadBytes(0);
        Assert.Equal((8, 8), Jpeg.ReadSize(bytes));
    }

    [Fact]
    public void Missing_root_is_named()
    {
        var e = Assert.Throws<DatasetException>(() => ImageFolder.Open("/nonexistent/lb-data", "train"));
        Assert.Contains("/nonexistent/lb-data", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Missing_split_is_named()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DatasetException>(() => ImageFolder.Open(dir.Path, "val"));
        Assert.Contains(dir.Sub("val"), e.Message);
    }

    [Fact]
    public void Split_without_class_folders_is_named()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Sub("train"));
        File.WriteAllText(dir.Sub("train", "stray.jpeg"), "x");
        var e = Assert.Throws<DatasetException>(() => ImageFolder.Open(dir.Path, "train"));
        Assert.Contains("no class folders", e.Message);
        Assert.Contains(dir.Sub("train"), e.Message);
    }

    [Fact]
    public void Class_folder_without_images_is_named()
    {
        using var dir = new TempDir();
        TestImages.WriteFolder(dir.Path, "train", 1, 1);
        Directory.CreateDirectory(dir.Sub("train", "empty"));
        File.WriteAllText(dir.Sub("train", "empty", "readme.txt"), "x");
        var e = Assert.Throws<DatasetException>(() => ImageFolder.Open(dir.Path, "train"));
        Assert.Contains(dir.Sub("train", "empty"), e.Message);
        Assert.Contains("no images", e.Message);
    }

    [Fact]
    public void Class_mismatch_against_expected_classes_is_reported()
    {
        using var dir = new TempDir();
        TestImages.WriteFolder(dir.Path, "train", 3, 1);
        TestImages.WriteFolder(dir.Path, "val", 2, 1);
        var train = ImageFolder.Open(dir.Path, "train");
        var e = Assert.Throws<DatasetException>(() => ImageFolder.Open(dir.Path, "val", train.Classes));
        Assert.Contains("class2", e.Message);
        Assert.Contains(dir.Sub("val"), e.Message);
        Assert.Equal(2, ImageFolder.Open(dir.Path, "val").Classes.Count);
    }
}

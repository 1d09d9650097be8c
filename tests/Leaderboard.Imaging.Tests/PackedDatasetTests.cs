using Leaderboard.Imaging;

namespace Leaderboard.Imaging.Tests;

public class PackedDatasetTests
{
    [Fact]
    public void Prepare_then_open_round_trips_labels_and_resizes_large_images()
    {
        using var dir = new TempDir();
        TestImages.WriteFolder(dir.Sub("src"), "train", 2, 5, width: 80, height: 60);
        TestImages.WriteFolder(dir.Sub("src"), "val", 2, 2, width: 30, height: 20);
        PackedDataset.Prepare(dir.Sub("src"), dir.Sub("packed"), maxSide: 32, shardSize: 3);
        var folder = ImageFolder.Open(dir.Sub("src"), "train");
        using var train = PackedDataset.Open(dir.Sub("packed"), "train");
        using var val = PackedDataset.Open(dir.Sub("packed"), "val");
        Assert.Equal(folder.Classes, train.Classes);
        Assert.Equal(10, train.Count);
        Assert.Equal(4, val.Count);
        Assert.Equal(4, Directory.GetFiles(dir.Sub("packed", "train"), "*.lbpk").Length);
        for (var i = 0; i < train.Count; i++)
        {
            Assert.Equal(folder.Samples[i].Label, train.GetLabel(i));
            var image = Jpeg.Decode(train.ReadBytes(i));
            Assert.Equal((43, 32), (image.Width, image.Height)); // short side 32
            var original = Jpeg.Decode(File.ReadAllBytes(folder.Samples[i].Path));
            var shrunk = new Transforms.EvalTransform(32, 1.0, bicubic: true).ApplyToImage(original);
            var packed = new Transforms.EvalTransform(32, 1.0, bicubic: true).ApplyToImage(image);
            Assert.True(TestImages.Psnr(shrunk, packed) > 28);
        }
        // Small images are stored as they are.
        var valFolder = ImageFolder.Open(dir.Sub("src"), "val");
        Assert.Equal(File.ReadAllBytes(valFolder.Samples[0].Path), val.ReadBytes(0));

        // The loader reads it like a folder.
        using var loader = new BatchLoader(train, new LoaderOptions { BatchSize = 4, ImageSize = 16, Threads = 2 });
        Assert.Equal(2, loader.Epoch(0).Select(b => { b.Dispose(); return b.Count; }).Count());
    }

    [Fact]
    public void Prepare_resumes_after_an_interruption()
    {
        using var dir = new TempDir();
        TestImages.WriteFolder(dir.Sub("src"), "train", 2, 4, width: 50, height: 40);
        var outDir = dir.Sub("packed");
        // Interrupt after the second shard (as a crash would), leaving a half-written temp shard behind.
        using var cancel = new CancellationTokenSource();
        var reports = new List<PackProgress>();
        Assert.ThrowsAny<OperationCanceledException>(() => PackedDataset.Prepare(dir.Sub("src"), outDir, 24, 2,
            new SyncProgress<PackProgress>(p => { reports.Add(p); if (p.ShardsDone == 2) cancel.Cancel(); }), cancellationToken: cancel.Token));
        Assert.False(PackedDataset.Exists(outDir, "train"));
        Assert.Throws<DatasetException>(() => PackedDataset.Open(outDir, "train"));
        var first = new FileInfo(Path.Combine(outDir, "train", "shard-00000.lbpk"));
        var firstWrite = first.LastWriteTimeUtc;
        File.WriteAllBytes(Path.Combine(outDir, "train", "shard-00002.lbpk.tmp"), [1, 2, 3]);

        reports.Clear();
        PackedDataset.Prepare(dir.Sub("src"), outDir, 24, 2, new SyncProgress<PackProgress>(reports.Add));
        Assert.Equal(2, reports[^1].ShardsReused);
        Assert.Equal(4, reports[^1].Shards);
        Assert.Equal(firstWrite, new FileInfo(first.FullName).LastWriteTimeUtc);
        using var packed = PackedDataset.Open(outDir, "train");
        Assert.Equal(8, packed.Count);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1], Enumerable.Range(0, 8).Select(packed.GetLabel));
        Assert.False(File.Exists(Path.Combine(outDir, "train", "shard-00002.lbpk.tmp")));
    }

    [Fact]
    public void Corrupt_source_images_are_skipped_and_a_truncated_shard_is_reported()
    {
        using var dir = new TempDir();
        TestImages.WriteFolder(dir.Sub("src"), "train", 1, 3);
        File.WriteAllBytes(dir.Sub("src", "train", "class0", "img_001.jpeg"), [0xFF, 0xD8, 0xFF, 0x00]);
        PackedDataset.Prepare(dir.Sub("src"), dir.Sub("packed"), 16, 10);
        using (var packed = PackedDataset.Open(dir.Sub("packed"), "train")) Assert.Equal(2, packed.Count);
        Assert.Contains("img_001.jpeg", File.ReadAllText(dir.Sub("packed", "train", "index.json")));

        var shard = dir.Sub("packed", "train", "shard-00000.lbpk");
        var bytes = File.ReadAllBytes(shard);
        File.WriteAllBytes(shard, bytes.AsSpan(0, bytes.Length - 10).ToArray());
        var e = Assert.Throws<DatasetException>(() => PackedDataset.Open(dir.Sub("packed"), "train"));
        Assert.Contains(shard, e.Message);
    }
}

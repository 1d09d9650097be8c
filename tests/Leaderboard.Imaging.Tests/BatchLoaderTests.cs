using Leaderboard.Imaging;
using Leaderboard.Imaging.Transforms;

namespace Leaderboard.Imaging.Tests;

public class BatchLoaderTests
{
    private static ImageFolder Folder(TempDir dir, int classes = 3, int perClass = 7)
    {
        TestImages.WriteFolder(dir.Path, "train", classes, perClass);
        return ImageFolder.Open(dir.Path, "train");
    }

    [Fact]
    public void Train_batches_have_the_right_shapes_and_labels()
    {
        using var dir = new TempDir();
        var folder = Folder(dir);
        using var loader = new BatchLoader(folder, new LoaderOptions { BatchSize = 4, ImageSize = 16, Threads = 2, Seed = 1 });
        Assert.Equal(5, loader.BatchesPerEpoch); // 21 / 4, last partial dropped
        var seen = 0;
        foreach (var batch in loader.Epoch(0))
        {
            using (batch)
            {
                Assert.Equal(4, batch.Count);
                Assert.Equal(16, batch.Size);
                Assert.Equal(4 * 3 * 16 * 16, batch.Images.Length);
                Assert.NotEqual(IntPtr.Zero, batch.ImagesPointer);
                for (var i = 0; i < batch.Count; i++) Assert.Equal(folder.Samples[batch.Indices[i]].Label, batch.Labels[i]);
                foreach (var v in batch.Images) Assert.True(float.IsFinite(v) && v > -3 && v < 3);
                Assert.True(batch.DataWaitSeconds >= 0);
                seen += batch.Count;
            }
        }
        Assert.Equal(20, seen);
    }

    [Fact]
    public void Eval_keeps_order_and_the_last_partial_batch()
    {
        using var dir = new TempDir();
        var folder = Folder(dir);
        using var loader = new BatchLoader(folder, new LoaderOptions { Train = false, BatchSize = 8, ImageSize = 16, Threads = 2 });
        var indices = new List<int>();
        var counts = new List<int>();
        foreach (var batch in loader.Epoch(0))
        {
            using (batch)
            {
                indices.AddRange(batch.Indices);
                counts.Add(batch.Count);
            }
        }
        Assert.Equal([8, 8, 5], counts);
        Assert.Equal(Enumerable.Range(0, 21), indices);
    }

    private static (List<int> Indices, List<float[]> Images) Collect(BatchLoader loader, int epoch)
    {
        var indices = new List<int>();
        var images = new List<float[]>();
        foreach (var batch in loader.Epoch(epoch))
        {
            using (batch)
            {
                indices.AddRange(batch.Indices);
                images.Add(batch.Images.ToArray());
            }
        }
        return (indices, images);
    }

    [Fact]
    public void Order_and_augmentation_are_deterministic_by_seed_whatever_the_thread_count()
    {
        using var dir = new TempDir();
        var folder = Folder(dir);
        var options = new LoaderOptions { BatchSize = 4, ImageSize = 16, Seed = 3, Augment = AugmentPresets.Get("deit") };
        using var one = new BatchLoader(folder, options with { Threads = 1 });
        using var two = new BatchLoader(folder, options with { Threads = 2, Prefetch = 1 });
        using var other = new BatchLoader(folder, options with { Seed = 4 });
        var a = Collect(one, 0);
        var b = Collect(two, 0);
        Assert.Equal(a.Indices, b.Indices);
        for (var i = 0; i < a.Images.Count; i++) Assert.Equal(a.Images[i], b.Images[i]);
        Assert.NotEqual(a.Indices, Collect(other, 0).Indices);
        Assert.NotEqual(a.Indices, Collect(one, 1).Indices); // another epoch, another order
    }

    [Fact]
    public void Repeated_augmentation_repeats_each_index_k_times_in_a_row()
    {
        using var dir = new TempDir();
        var folder = Folder(dir, 3, 8); // 24 samples
        using var loader = new BatchLoader(folder, new LoaderOptions { BatchSize = 6, ImageSize = 8, RepeatedAugmentations = 3, Seed = 5 });
        var order = loader.EpochOrder(0);
        Assert.Equal(24, order.Length);
        Assert.Equal(8, order.Distinct().Count());
        Assert.All(order.GroupBy(i => i), g => Assert.Equal(3, g.Count()));
        for (var i = 0; i < order.Length; i += 3) Assert.True(order[i] == order[i + 1] && order[i] == order[i + 2]);
        // The copies get different augmentations.
        var batch = loader.Epoch(0).First();
        using (batch)
        {
            Assert.Equal(batch.Indices[0], batch.Indices[1]);
            Assert.NotEqual(batch.Image(0).ToArray(), batch.Image(1).ToArray());
        }
    }

    [Fact]
    public void Corrupt_images_are_counted_skipped_and_substituted()
    {
        using var dir = new TempDir();
        TestImages.WriteFolder(dir.Path, "train", 2, 5);
        var bad = dir.Sub("train", "class1", "img_002.jpeg");
        var bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, bytes.AsSpan(0, bytes.Length / 3).ToArray());
        File.WriteAllBytes(dir.Sub("train", "class0", "zz_garbage.jpg"), [1, 2, 3]);
        var folder = ImageFolder.Open(dir.Path, "train");
        using var loader = new BatchLoader(folder, new LoaderOptions { BatchSize = 11, ImageSize = 8, Threads = 2 });
        var batch = Assert.Single(loader.Epoch(0));
        using (batch)
        {
            Assert.Equal(11, batch.Count);
            Assert.DoesNotContain(batch.Indices, i => folder.Samples[i].Path == bad);
        }
        Assert.True(loader.CorruptCount == 2, string.Join(" | ", loader.CorruptSamples));
        Assert.Contains(loader.CorruptSamples, s => s.StartsWith(bad, StringComparison.Ordinal));
    }

    [Fact]
    public void Image_size_can_change_between_epochs()
    {
        using var dir = new TempDir();
        var folder = Folder(dir);
        using var loader = new BatchLoader(folder, new LoaderOptions { BatchSize = 4, ImageSize = 8, Threads = 2 });
        foreach (var b in loader.Epoch(0)) using (b) Assert.Equal(8, b.Size);
        loader.ImageSize = 24;
        foreach (var b in loader.Epoch(1)) using (b) { Assert.Equal(24, b.Size); Assert.Equal(4 * 3 * 24 * 24, b.Images.Length); }
        loader.ImageSize = 12;
        foreach (var b in loader.Epoch(2)) using (b) Assert.Equal(12, b.Size);
    }

    [Fact]
    public void Breaking_out_of_an_epoch_stops_the_workers()
    {
        using var dir = new TempDir();
        var folder = Folder(dir);
        using var loader = new BatchLoader(folder, new LoaderOptions { BatchSize = 2, ImageSize = 8, Threads = 2, Prefetch = 2 });
        foreach (var b in loader.Epoch(0))
        {
            b.Dispose();
            break;
        }
        var count = 0;
        foreach (var b in loader.Epoch(1)) { b.Dispose(); count++; }
        Assert.Equal(10, count);
    }
}

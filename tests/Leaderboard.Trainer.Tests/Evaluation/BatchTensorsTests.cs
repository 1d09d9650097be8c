using Leaderboard.Imaging;
using Leaderboard.Trainer.Evaluation;
using Leaderboard.Trainer.Tests.Cli;

namespace Leaderboard.Trainer.Tests.Evaluation;

/// <summary>The loader's hand-off: a batch becomes tensors with exactly its pixels and labels, owned by the tensor.</summary>
[Collection(TorchCollection.Name)]
public sealed class BatchTensorsTests(TinyDataset data) : IClassFixture<TinyDataset>
{
    [Fact]
    public void Images_and_labels_are_the_batch_as_tensors_and_outlive_it()
    {
        using var source = Leaderboard.Trainer.Training.DatasetSource.Open(data.Root, "train");
        using var loader = new BatchLoader(source.Source, new LoaderOptions { BatchSize = 8, ImageSize = 16, Train = true, Seed = 3, Threads = 2 });
        using var scope = NewDisposeScope();
        Tensor images, labels;
        float[] pixels;
        int[] expectedLabels;
        using (var batch = loader.Epoch(0).First())
        {
            images = BatchTensors.Images(batch, CPU);
            labels = BatchTensors.Labels(batch, CPU);
            pixels = batch.Images.ToArray();
            expectedLabels = batch.Labels;
        }
        // The batch's buffer went back to the loader; the tensors hold their own copy.
        Assert.Equal(new long[] { 8, 3, 16, 16 }, images.shape);
        Assert.Equal(ScalarType.Float32, images.dtype);
        Assert.Equal(pixels, images.data<float>().ToArray());
        Assert.Equal(ScalarType.Int64, labels.dtype);
        Assert.Equal(expectedLabels.Select(l => (long)l).ToArray(), labels.data<long>().ToArray());
    }
}

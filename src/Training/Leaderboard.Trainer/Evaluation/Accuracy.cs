using Leaderboard.Imaging;
using Leaderboard.Trainer.Training;

namespace Leaderboard.Trainer.Evaluation;

/// <summary>Top-1 / top-5 accuracy of a model over every batch of an evaluation loader.</summary>
public static class Accuracy
{
    public sealed record Result(double Top1, double Top5, int Images);

    public static Result Measure(nn.Module<Tensor, Tensor> model, BatchLoader loader, Device device, ScalarType? computeType = null)
    {
        bool wasTraining = model.training;
        model.eval();
        long correct1 = 0, correct5 = 0;
        int images = 0;
        try
        {
            using var ng = no_grad();
            foreach (var batch in loader.Epoch(0))
            {
                using (batch)
                using (var scope = NewDisposeScope())
                {
                    var x = BatchTensors.Images(batch, device);
                    var y = BatchTensors.Labels(batch, device);
                    Tensor logits;
                    using (MixedPrecision.Enable(computeType))
                        logits = model.forward(x);
                    int k = (int)Math.Min(5, logits.shape[1]);
                    var (_, top) = logits.topk(k, 1);
                    var hits = top.eq(y.unsqueeze(1)).to(ScalarType.Int64); // at most one hit per row
                    correct1 += hits.select(1, 0).sum().item<long>();
                    correct5 += hits.sum().item<long>();
                    images += batch.Count;
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return new Result(images == 0 ? 0 : 100.0 * correct1 / images, images == 0 ? 0 : 100.0 * correct5 / images, images);
    }
}

/// <summary>
/// The loader's hand-off: a batch's images (float NCHW in the loader's native buffer) and labels as tensors on the
/// device. One copy into a fresh tensor, so the loader can reuse its buffer at once; for CUDA the copy lands in pinned
/// (page-locked) host memory and goes to the GPU with a non-blocking copy, overlapping the previous step's kernels.
/// </summary>
public static class BatchTensors
{
    public static Tensor Images(Batch batch, Device device)
    {
        var host = empty([batch.Count, 3, batch.Size, batch.Size], ScalarType.Float32);
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(batch.Images).CopyTo(host.bytes);
        return ToDevice(host, device);
    }

    public static Tensor Labels(Batch batch, Device device)
    {
        var labels = new long[batch.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = batch.Labels[i];
        return ToDevice(tensor(labels), device);
    }

    private static Tensor ToDevice(Tensor host, Device device)
    {
        if (device.type == DeviceType.CPU) return host;
        using (host)
        using (var pinned = host.pin_memory())
            return pinned.to(device, non_blocking: true);
    }
}

using Leaderboard.Imaging;
using Leaderboard.Torch;
using static Leaderboard.Torch.torch;

namespace Leaderboard.Trainer.Evaluation;

/// <summary>Top-1 / top-5 accuracy of a model over every batch of an evaluation loader.</summary>
public static class Accuracy
{
    public sealed record Result(double Top1, double Top5, int Images);

    public static Result Measure(nn.Module model, BatchLoader loader, Device device, ScalarType? autocastType = null)
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
                    using (autocastType is ScalarType amp ? autocast(device, amp) : null)
                        logits = model.forward(x);
                    long k = Math.Min(5, logits.shape[1]);
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

/// <summary>Loader batches as tensors on the device.</summary>
public static class BatchTensors
{
    public static Tensor Images(Batch batch, Device device)
    {
        var x = tensor((ReadOnlySpan<float>)batch.Images, [batch.Count, 3, batch.Size, batch.Size]);
        return device.type == DeviceType.CPU ? x : x.to(device);
    }

    public static Tensor Labels(Batch batch, Device device)
    {
        var labels = new long[batch.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = batch.Labels[i];
        return tensor(labels, device: device);
    }
}

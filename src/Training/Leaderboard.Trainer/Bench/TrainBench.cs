using System.Diagnostics;
using System.Text.Json.Serialization;
using Leaderboard.Torch;
using Leaderboard.Trainer.Models;
using Leaderboard.Training.Models;
using static Leaderboard.Torch.torch;

namespace Leaderboard.Trainer.Bench;

public sealed record TrainBenchResult(
    [property: JsonPropertyName("library")] string Library,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("img")] int Img,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("warmup")] int Warmup,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("step_ms_p50")] double StepMsP50,
    [property: JsonPropertyName("step_ms_p90")] double StepMsP90,
    [property: JsonPropertyName("step_ms_p99")] double StepMsP99,
    [property: JsonPropertyName("live_tensors")] long LiveTensors);

/// <summary>
/// Training-step throughput of a model on one synthetic batch (forward, cross-entropy, backward, AdamW), the same
/// measurement as <c>bench/train_pytorch.py</c> so the binding's overhead over PyTorch eager can be compared: warm-up
/// steps excluded, wall time per step (synchronised on CUDA, and <c>loss.item()</c> every step in both).
/// </summary>
public static class TrainBench
{
    public static TrainBenchResult Run(string modelName, ModelConfig config, int img, int batch, int steps, int warmup, Device device, int threads)
    {
        manual_seed(0);
        using var model = new VisionTransformer(config, img);
        model.to(device);
        model.train();
        using var optimizer = new optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.05);
        using var scope = NewDisposeScope();
        var x = randn([batch, 3, img, img], device: device);
        var y = randint(0, config.NumClasses, [batch], device: device);
        var times = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            var watch = Stopwatch.StartNew();
            using (var stepScope = NewDisposeScope())
            {
                var loss = nn.functional.cross_entropy(model.forward(x), y);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                loss.item<float>();
                if (device.type == DeviceType.CUDA) cuda.synchronize();
            }
            if (i >= warmup) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return new TrainBenchResult("libtorch " + __version__ + " (lb binding)", modelName, img, batch, steps, warmup, device.ToString(),
            Cli.TorchThreads.Get(), Math.Round(batch * times.Count / (times.Sum() / 1000), 2),
            Math.Round(Percentile(times, 50), 2), Math.Round(Percentile(times, 90), 2), Math.Round(Percentile(times, 99), 2),
            Tensor.TotalLiveCount);
    }

    /// <summary>Nearest-rank percentile, as the Python script computes it.</summary>
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        int rank = (int)Math.Ceiling(q / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}

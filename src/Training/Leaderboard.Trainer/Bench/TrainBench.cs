using System.Diagnostics;
using System.Text.Json.Serialization;
using Leaderboard.Trainer.Models;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Bench;

public sealed record TrainBenchResult(
    [property: JsonPropertyName("library")] string Library,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("img")] int Img,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("warmup")] int Warmup,
    [property: JsonPropertyName("device")] string Device,
    [property: JsonPropertyName("precision")] string Precision,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("step_ms_p50")] double StepMsP50,
    [property: JsonPropertyName("step_ms_p90")] double StepMsP90,
    [property: JsonPropertyName("step_ms_p99")] double StepMsP99,
    [property: JsonPropertyName("live_tensors")] long LiveTensors)
{
    /// <summary>Budgeted training's active heads and MLP channels when measuring a stage (absent for the full model).</summary>
    [JsonPropertyName("active_heads"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ActiveHeads { get; init; }

    [JsonPropertyName("active_mlp_hidden"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ActiveMlpHidden { get; init; }
}

/// <summary>
/// Training-step throughput of a model on one synthetic batch (forward, cross-entropy, backward, AdamW), the same
/// measurement as <c>bench/train_pytorch.py</c> so TorchSharp's overhead over PyTorch eager can be compared: warm-up
/// steps excluded, wall time per step (synchronised on CUDA, and <c>loss.item()</c> every step in both). bf16 / fp16
/// run the model under <see cref="MixedPrecision"/> (fp16 with loss scaling), as training does. With <c>active</c>, only the
/// first heads and MLP channels are computed (a budgeted-training stage), the model built at <c>baseImageSize</c> as training builds it.
/// </summary>
public static class TrainBench
{
    public static TrainBenchResult Run(string modelName, ModelConfig config, int img, int batch, int steps, int warmup, Device device, string precision,
        (int Heads, int MlpHidden)? active = null, int? baseImageSize = null)
    {
        manual_seed(0);
        using var model = ImageClassifier.Create(config, baseImageSize ?? img);
        if (active is var (heads, hidden))
        {
            if (model is not VisionTransformer vit) throw new ArgumentException("a budgeted-training stage needs a plain ViT / DeiT model", nameof(active));
            vit.SetActiveWidth(heads, hidden);
        }
        model.to(device);
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.05);
        var computeType = MixedPrecision.FromRecipe(precision);
        var scaler = computeType == ScalarType.Float16 ? new LossScaler() : null;
        using var scope = NewDisposeScope();
        var x = randn([batch, 3, img, img], device: device);
        var y = randint(0, config.NumClasses, [batch], device: device);
        var times = new List<double>();
        for (int i = 0; i < warmup + steps; i++)
        {
            var watch = Stopwatch.StartNew();
            using (var stepScope = NewDisposeScope())
            {
                Tensor loss;
                using (MixedPrecision.Enable(computeType))
                    loss = nn.functional.cross_entropy(model.forward(x).to(ScalarType.Float32), y);
                optimizer.zero_grad();
                (scaler is null ? loss : scaler.ScaleLoss(loss)).backward();
                bool finite = scaler?.Unscale(model.parameters()) ?? true;
                if (finite) optimizer.step();
                scaler?.Update(finite);
                loss.item<float>();
                if (device.type == DeviceType.CUDA) cuda.synchronize();
            }
            if (i >= warmup) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return new TrainBenchResult(Runtime.TorchRuntime.Description, modelName, img, batch, steps, warmup, device.ToString(), precision,
            Cli.TorchThreads.Get(), Math.Round(batch * times.Count / (times.Sum() / 1000), 2),
            Math.Round(Percentile(times, 50), 2), Math.Round(Percentile(times, 90), 2), Math.Round(Percentile(times, 99), 2),
            Tensor.TotalCount)
        {
            ActiveHeads = active?.Heads,
            ActiveMlpHidden = active?.MlpHidden,
        };
    }

    /// <summary>Nearest-rank percentile, as the Python script computes it.</summary>
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        int rank = (int)Math.Ceiling(q / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}

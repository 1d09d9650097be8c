using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leaderboard.Imaging;

public sealed record DataBenchResult(
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("images_per_second_per_core")] double ImagesPerSecondPerCore,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("cpu_seconds")] double CpuSeconds,
    [property: JsonPropertyName("images_per_cpu_second")] double ImagesPerCpuSecond,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("augment")] string Augment,
    [property: JsonPropertyName("source")] string Source)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };
    public string ToJson() => JsonSerializer.Serialize(this, Options);
}

/// <summary>
/// Data-pipeline throughput: decode + augment from <c>DIR/train</c> (JPEG ImageFolder, or a packed dataset when
/// <c>DIR/train/index.json</c> exists) through the <see cref="BatchLoader"/>, as torchvision's ImageFolder + transforms
/// + DataLoader would. Files are read once before timing (warm page cache, as in a long training run).
/// <c>images_per_second_per_core</c> = wall-clock rate / threads; <c>images_per_cpu_second</c> uses the process's CPU
/// time and stays meaningful on a busy machine.
/// </summary>
public static class DataBench
{
    /// <summary>Images measured when <c>maxImages</c> is not given: enough for a stable rate, not a whole ImageNet epoch.</summary>
    public const int DefaultMaxImages = 5000;

    /// <param name="maxImages">How many images (evenly spaced over the split); null = up to <see cref="DefaultMaxImages"/>, 0 or less = all.</param>
    public static DataBenchResult Run(string datasetDir, int size, string augment, int threads, int? maxImages)
    {
        maxImages ??= DefaultMaxImages;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (threads <= 0) threads = Environment.ProcessorCount;
        using var packed = PackedDataset.Exists(datasetDir, "train") ? PackedDataset.Open(datasetDir, "train") : null;
        IImageSource full = packed is not null ? packed : ImageFolder.Open(datasetDir, "train");
        var source = maxImages is > 0 && maxImages < full.Count
            ? new ImageSubset(full, [.. Enumerable.Range(0, maxImages.Value).Select(i => (int)((long)i * full.Count / maxImages.Value))])
            : full;

        var eval = augment.Equals("eval", StringComparison.OrdinalIgnoreCase);
        var options = new LoaderOptions
        {
            BatchSize = Math.Min(64, source.Count),
            ImageSize = size,
            Train = !eval,
            DropLast = false,
            Threads = threads,
            Seed = 0,
            Augment = eval ? new() : Transforms.AugmentPresets.Get(augment),
        };
        var buffer = Array.Empty<byte>();
        for (var i = 0; i < source.Count; i++) source.Read(i, ref buffer); // warm the page cache

        using var loader = new BatchLoader(source, options);
        // Warm-up: JIT and buffers.
        using (var warm = loader.Epoch(-1).First()) { }
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var images = 0;
        foreach (var batch in loader.Epoch(0))
        {
            using (batch) images += batch.Count;
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        var perSecond = images / seconds;
        return new DataBenchResult(Math.Round(perSecond, 1), Math.Round(perSecond / threads, 1), threads, images, Math.Round(seconds, 3),
            Math.Round(cpu, 3), Math.Round(images / Math.Max(cpu, 1e-9), 1), size,
            eval ? "eval" : augment, packed is not null ? "packed" : "image-folder");
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leaderboard.Training.Progress;

/// <summary>
/// One line of the trainer's progress protocol: JSON objects, one per line, on the trainer's stdout. The worker
/// streams them into the database; a person running <c>./lb train</c> reads them directly. Fields that do not apply to
/// an event are omitted. Schema (camelCase keys):
/// <list type="bullet">
/// <item><c>event</c>: start | step | eval | checkpoint | curriculum (the image size or a budgeted-training stage changed) | done | error</item>
/// <item><c>elapsed</c>: seconds since the trainer started (always present)</item>
/// <item><c>step</c>, <c>epoch</c> (fractional), <c>imageSize</c>, <c>loss</c>, <c>lr</c>, <c>imagesPerSecond</c>,
/// <c>dataWait</c> (fraction of the interval spent waiting for data)</item>
/// <item><c>trainTop1</c>: top-1 (percent) on a held-back slice of the train split (event eval)</item>
/// <item><c>checkpoint</c>: path of the checkpoint written (events checkpoint and done; done names the final one)</item>
/// <item><c>message</c>: human-readable detail (start: device and model; done: why it stopped; error: the failure)</item>
/// <item><c>fault</c>: on an error, <c>platform</c> when the machine failed the run (disk full, unwritable folder), not the recipe</item>
/// </list>
/// </summary>
public sealed record ProgressEvent
{
    public required string Event { get; init; }
    public required double Elapsed { get; init; }
    public long? Step { get; init; }
    public double? Epoch { get; init; }
    public int? ImageSize { get; init; }
    public double? Loss { get; init; }
    public double? Lr { get; init; }
    public double? ImagesPerSecond { get; init; }
    public double? DataWait { get; init; }
    public double? TrainTop1 { get; init; }
    public string? Checkpoint { get; init; }
    public string? Message { get; init; }
    public string? Fault { get; init; }

    /// <summary>The <see cref="Fault"/> of an error the machine caused (disk full, unwritable folder): the platform retries the run.</summary>
    public const string PlatformFault = "platform";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses one line; null when the line is not a progress event (the trainer's other output).</summary>
    public static ProgressEvent? TryParse(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line[0] != '{') return null;
        try
        {
            return JsonSerializer.Deserialize<ProgressEvent>(line, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The one JSON line <c>evaluate</c> prints: the platform's own scoring of a checkpoint.</summary>
public sealed record EvaluationResult
{
    public required double Top1 { get; init; }
    public required double Top5 { get; init; }
    public required int Images { get; init; }
    public long? Params { get; init; }
    public double? ImagesPerSecond { get; init; }
    public string? Device { get; init; }
    public string? Library { get; init; }
    /// <summary>HydraViT (Haberer et al. 2024): the score of every sub-network, smallest first; null for other models.
    /// The fields above are the largest sub-network's.</summary>
    public IReadOnlyList<SubnetworkResult>? Subnetworks { get; init; }
}

/// <summary>One HydraViT sub-network's evaluation: the first <see cref="Heads"/> heads.</summary>
public sealed record SubnetworkResult
{
    public required int Heads { get; init; }
    public required double Top1 { get; init; }
    public required double Top5 { get; init; }
    public required long Params { get; init; }
    public required double Gflops { get; init; }
    public double? ImagesPerSecond { get; init; }
}

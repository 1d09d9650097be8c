using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Leaderboard.Jobs;

/// <summary>
/// The training time a checkpoint was stamped with, read from its safetensors header (8-byte little-endian length,
/// then JSON whose <c>__metadata__</c> the trainer fills) without loading libtorch.
/// </summary>
public static class CheckpointStamp
{
    private const int MaxHeaderBytes = 100 * 1024 * 1024;

    /// <summary>Seconds of training the checkpoint holds; null when the file is missing or not a trainer checkpoint.</summary>
    public static double? ReadElapsed(string path)
    {
        if (!File.Exists(path)) return null;
        using var file = File.OpenRead(path);
        Span<byte> length = stackalloc byte[8];
        if (file.Read(length) != 8) return null;
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (headerLength is 0 or > MaxHeaderBytes) return null;
        var header = new byte[headerLength];
        file.ReadExactly(header);
        using var json = JsonDocument.Parse(header);
        return json.RootElement.TryGetProperty("__metadata__", out var metadata)
               && metadata.TryGetProperty("elapsed", out var elapsed)
               && double.TryParse(elapsed.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : null;
    }
}

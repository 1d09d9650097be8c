using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// The safetensors format (huggingface/safetensors), in C#: an 8-byte little-endian header length, a JSON header
/// ({"__metadata__": {…}, name: {"dtype", "shape", "data_offsets"}}, padded with spaces to a multiple of 8),
/// then the tensors' row-major little-endian bytes back to back. Our own writer because the checkpoint carries string
/// metadata and must be replaced atomically: TorchSharp's <c>Safetensors.SaveStateDict</c> writes over an existing
/// file without truncating it (a shorter file keeps the old tail).
/// </summary>
public static class Safetensors
{
    /// <summary>
    /// Writes the tensors (in the given order) and string metadata. The file appears atomically: it is written
    /// beside the target under a temporary name, flushed, then renamed over it.
    /// </summary>
    public static void Save(string path, IEnumerable<(string name, Tensor t)> tensors, IDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var names = new HashSet<string>();
        foreach (var (name, _) in list)
        {
            if (name == "__metadata__" || !names.Add(name))
            {
                throw new ArgumentException($"safetensors: duplicate or reserved tensor name '{name}'", nameof(tensors));
            }
        }

        var header = BuildHeader(list, metadata);
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
                fs.Write(len);
                fs.Write(header);
                foreach (var (_, t) in list)
                {
                    using var cpu = t.device_type == DeviceType.CPU ? t.contiguous() : t.cpu().contiguous();
                    fs.Write(cpu.bytes);
                }

                fs.Flush(flushToDisk: true);
            }

            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IDictionary<string, string>? metadata = null) =>
        Save(path, tensors.Select(kv => (kv.Key, kv.Value)), metadata);

    /// <summary>Reads all tensors (on the CPU, or moved to <paramref name="device"/>) and the metadata.</summary>
    public static (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) Load(string path, Device? device = null)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> lenBytes = stackalloc byte[8];
        fs.ReadExactly(lenBytes);
        var headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLen > 100_000_000 || (long)headerLen + 8 > fs.Length)
        {
            throw new InvalidDataException($"{path}: not a safetensors file (header length {headerLen})");
        }

        var headerBytes = new byte[headerLen];
        fs.ReadExactly(headerBytes);
        var dataStart = 8 + (long)headerLen;
        var tensors = new Dictionary<string, Tensor>();
        var meta = new Dictionary<string, string>();
        try
        {
            using var doc = JsonDocument.Parse(headerBytes);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject())
                    {
                        meta[m.Name] = m.Value.GetString() ?? "";
                    }

                    continue;
                }

                var dtype = ParseDtype(prop.Value.GetProperty("dtype").GetString(), path, prop.Name);
                var shape = prop.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = prop.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var n = shape.Aggregate(1L, (a, b) => a * b);
                if (offsets.Length != 2 || offsets[1] - offsets[0] != n * ElementSize(dtype) || dataStart + offsets[1] > fs.Length)
                {
                    throw new InvalidDataException($"{path}: tensor '{prop.Name}' has bad data_offsets");
                }

                var t = empty(shape, dtype);
                fs.Position = dataStart + offsets[0];
                fs.ReadExactly(t.bytes);
                tensors[prop.Name] = device is null || device.type == DeviceType.CPU ? t : t.to(device, disposeAfter: true);
            }
        }
        catch
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }

            throw;
        }

        return (tensors, meta);
    }

    /// <summary>The safetensors dtype name ("F32", "BF16", …).</summary>
    public static string DtypeName(ScalarType t) => t switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new NotSupportedException($"safetensors: no dtype name for {t}"),
    };

    private static long ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    private static ScalarType ParseDtype(string? name, string path, string tensor) => name switch
    {
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{path}: tensor '{tensor}' has unsupported dtype '{name}'"),
    };

    private static byte[] BuildHeader(List<(string name, Tensor t)> list, IDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata)
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, t) in list)
            {
                var dtype = t.dtype;
                var shape = t.shape;
                var nbytes = shape.Aggregate(1L, (a, b) => a * b) * ElementSize(dtype);
                w.WriteStartObject(name);
                w.WriteString("dtype", DtypeName(dtype));
                w.WriteStartArray("shape");
                foreach (var s in shape)
                {
                    w.WriteNumberValue(s);
                }

                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + nbytes);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += nbytes;
            }

            w.WriteEndObject();
        }

        var json = ms.ToArray();
        var padded = (json.Length + 7) / 8 * 8;
        var header = new byte[padded];
        json.CopyTo(header, 0);
        for (var i = json.Length; i < padded; i++)
        {
            header[i] = (byte)' ';
        }

        return header;
    }
}

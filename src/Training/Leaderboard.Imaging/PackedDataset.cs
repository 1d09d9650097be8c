using System.Buffers.Binary;
using System.Text.Json;
using Leaderboard.Imaging.Transforms;
using Microsoft.Win32.SafeHandles;

namespace Leaderboard.Imaging;

public sealed record PackProgress(string Split, int Done, int Total, int ShardsDone, int Shards, int ShardsReused, int Skipped);

/// <summary>
/// The <c>prepare-data</c> format: an ImageFolder converted once into shards of JPEG bytes, pre-resized so the
/// shorter side is at most <c>maxSide</c>. Layout: <c>outDir/&lt;split&gt;/shard-NNNNN.lbpk</c> (header "LBPK",
/// version, count, then count × (offset, length, label), then the JPEG bytes) and <c>outDir/&lt;split&gt;/index.json</c>
/// (classes, shards), written last. Every file is written to a temp name and renamed, so an interrupted
/// <see cref="Prepare"/> resumes by reusing the shards already there.
/// </summary>
public sealed class PackedDataset : IImageSource, IDisposable
{
    public const int FormatVersion = 1;
    private static ReadOnlySpan<byte> Magic => "LBPK"u8;
    private const int HeaderSize = 12;
    private const int EntrySize = 16;

    private readonly SafeFileHandle[] _handles;
    private readonly int[] _shard;
    private readonly long[] _offset;
    private readonly int[] _length;
    private readonly int[] _label;
    private readonly string[] _shardPaths;

    private PackedDataset(string directory, IReadOnlyList<string> classes, int maxSide, SafeFileHandle[] handles, string[] shardPaths,
        int[] shard, long[] offset, int[] length, int[] label)
    {
        Directory = directory;
        Classes = classes;
        MaxSide = maxSide;
        _handles = handles;
        _shardPaths = shardPaths;
        _shard = shard;
        _offset = offset;
        _length = length;
        _label = label;
    }

    public string Directory { get; }
    public IReadOnlyList<string> Classes { get; }
    public int MaxSide { get; }
    public int Count => _label.Length;

    public int GetLabel(int index) => _label[index];

    public string Describe(int index) => $"{_shardPaths[_shard[index]]}@{_offset[index]}";

    public int Read(int index, ref byte[] buffer)
    {
        var length = _length[index];
        if (buffer.Length < length) buffer = new byte[Math.Max(length, Math.Min(buffer.Length * 2, int.MaxValue / 2))];
        var total = 0;
        while (total < length)
        {
            var n = RandomAccess.Read(_handles[_shard[index]], buffer.AsSpan(total, length - total), _offset[index] + total);
            if (n == 0) throw new IOException($"{Describe(index)}: unexpected end of shard");
            total += n;
        }
        return length;
    }

    public void Dispose()
    {
        foreach (var h in _handles) h.Dispose();
    }

    private sealed record IndexFile(string Format, int Version, string Split, int MaxSide, int ShardSize, int Total, int Skipped,
        IReadOnlyList<string> Classes, IReadOnlyList<ShardInfo> Shards, IReadOnlyList<string> SkippedFiles);

    private sealed record ShardInfo(string File, int Count);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static bool Exists(string dir, string split) => File.Exists(Path.Combine(dir, split, "index.json"));

    /// <summary>Opens a prepared split (<c>dir/split/index.json</c>).</summary>
    public static PackedDataset Open(string dir, string split)
    {
        var splitDir = Path.GetFullPath(Path.Combine(dir, split));
        var indexPath = Path.Combine(splitDir, "index.json");
        if (!File.Exists(indexPath)) throw new DatasetException($"Packed dataset index '{indexPath}' does not exist (run prepare-data first, or it was interrupted).");
        IndexFile index;
        try
        {
            index = JsonSerializer.Deserialize<IndexFile>(File.ReadAllText(indexPath), JsonOptions)
                ?? throw new DatasetException($"Packed dataset index '{indexPath}' is empty.");
        }
        catch (JsonException e)
        {
            throw new DatasetException($"Packed dataset index '{indexPath}' is not valid: {e.Message}", e);
        }
        if (index.Format != "lb-packed" || index.Version != FormatVersion)
        {
            throw new DatasetException($"'{indexPath}' is not an lb-packed v{FormatVersion} index (format '{index.Format}', version {index.Version}).");
        }

        var handles = new List<SafeFileHandle>();
        var paths = new List<string>();
        var shard = new List<int>();
        var offset = new List<long>();
        var length = new List<int>();
        var label = new List<int>();
        try
        {
            foreach (var info in index.Shards)
            {
                var path = Path.Combine(splitDir, info.File);
                if (!File.Exists(path)) throw new DatasetException($"Shard '{path}' listed in '{indexPath}' is missing.");
                var entries = ReadHeader(path);
                if (entries.Count != info.Count) throw new DatasetException($"Shard '{path}' has {entries.Count} images, the index says {info.Count}.");
                var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
                handles.Add(handle);
                paths.Add(path);
                foreach (var e in entries)
                {
                    if (e.Label < 0 || e.Label >= index.Classes.Count) throw new DatasetException($"Shard '{path}' has label {e.Label}, out of range for {index.Classes.Count} classes.");
                    shard.Add(handles.Count - 1);
                    offset.Add(e.Offset);
                    length.Add(e.Length);
                    label.Add(e.Label);
                }
            }
        }
        catch
        {
            foreach (var h in handles) h.Dispose();
            throw;
        }
        return new PackedDataset(splitDir, index.Classes, index.MaxSide, [.. handles], [.. paths], [.. shard], [.. offset], [.. length], [.. label]);
    }

    private readonly record struct Entry(long Offset, int Length, int Label);

    private static List<Entry> ReadHeader(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var fileLength = RandomAccess.GetLength(handle);
        Span<byte> head = stackalloc byte[HeaderSize];
        if (RandomAccess.Read(handle, head, 0) != HeaderSize || !head[..4].SequenceEqual(Magic))
        {
            throw new DatasetException($"Shard '{path}' is not an LBPK file.");
        }
        var version = BinaryPrimitives.ReadInt32LittleEndian(head[4..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(head[8..]);
        if (version != FormatVersion || count < 0 || HeaderSize + (long)count * EntrySize > fileLength)
        {
            throw new DatasetException($"Shard '{path}' has an invalid header (version {version}, {count} entries).");
        }
        var table = new byte[count * EntrySize];
        RandomAccess.Read(handle, table, HeaderSize);
        var entries = new List<Entry>(count);
        for (var i = 0; i < count; i++)
        {
            var e = table.AsSpan(i * EntrySize, EntrySize);
            var entry = new Entry(BinaryPrimitives.ReadInt64LittleEndian(e), BinaryPrimitives.ReadInt32LittleEndian(e[8..]), BinaryPrimitives.ReadInt32LittleEndian(e[12..]));
            if (entry.Offset < 0 || entry.Length < 0 || entry.Offset + entry.Length > fileLength)
            {
                throw new DatasetException($"Shard '{path}' is truncated (entry {i} ends past the end of the file).");
            }
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>
    /// Converts <c>imageFolderRoot/{train,val}</c> (val optional; its classes must equal train's) into
    /// <paramref name="outDir"/>. Images whose shorter side exceeds <paramref name="maxSide"/> are decoded (DCT-downscaled),
    /// resized (bicubic, antialiased) to shorter side = maxSide and re-encoded; smaller ones are copied as they are.
    /// Unreadable images are skipped and listed in the index. Completed shards are reused on a re-run.
    /// </summary>
    public static void Prepare(string imageFolderRoot, string outDir, int maxSide, int shardSize, IProgress<PackProgress>? progress = null,
        int quality = 90, int threads = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 8);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardSize);
        var train = ImageFolder.Open(imageFolderRoot, "train");
        var splits = new List<ImageFolder> { train };
        if (System.IO.Directory.Exists(Path.Combine(imageFolderRoot, "val"))) splits.Add(ImageFolder.Open(imageFolderRoot, "val", train.Classes));
        foreach (var folder in splits)
        {
            PrepareSplit(folder, Path.GetFileName(folder.Directory), outDir, maxSide, shardSize, progress, quality,
                threads > 0 ? threads : Environment.ProcessorCount, cancellationToken);
        }
    }

    private static void PrepareSplit(ImageFolder folder, string split, string outDir, int maxSide, int shardSize,
        IProgress<PackProgress>? progress, int quality, int threads, CancellationToken cancellationToken)
    {
        var splitDir = Path.Combine(outDir, split);
        System.IO.Directory.CreateDirectory(splitDir);
        var indexPath = Path.Combine(splitDir, "index.json");
        var shards = (folder.Count + shardSize - 1) / shardSize;
        var infos = new List<ShardInfo>();
        var skippedFiles = new List<string>();
        int done = 0, reused = 0;
        for (var s = 0; s < shards; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = $"shard-{s:D5}.lbpk";
            var path = Path.Combine(splitDir, name);
            var first = s * shardSize;
            var n = Math.Min(shardSize, folder.Count - first);
            if (File.Exists(path))
            {
                // Complete by construction (temp + rename); its samples are the same because the folder listing is sorted.
                var count = ReadHeader(path).Count;
                infos.Add(new ShardInfo(name, count));
                skippedFiles.AddRange(ReadSkipped(path, count, n, folder, first));
                reused++;
            }
            else
            {
                var blobs = new byte[]?[n];
                var errors = new string?[n];
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, () => new TransformScratch(), (i, _, scratch) =>
                {
                    var sample = folder.Samples[first + i];
                    try
                    {
                        blobs[i] = Shrink(File.ReadAllBytes(sample.Path), maxSide, quality, scratch);
                    }
                    catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
                    {
                        errors[i] = $"{sample.Path}: {e.Message}";
                    }
                    return scratch;
                }, _ => { });
                WriteShard(path, blobs, folder, first);
                infos.Add(new ShardInfo(name, blobs.Count(b => b is not null)));
                skippedFiles.AddRange(errors.OfType<string>());
            }
            done += n;
            progress?.Report(new PackProgress(split, done, folder.Count, s + 1, shards, reused, skippedFiles.Count));
        }
        var index = new IndexFile("lb-packed", FormatVersion, split, maxSide, shardSize, infos.Sum(i => i.Count), skippedFiles.Count,
            folder.Classes, infos, skippedFiles);
        WriteAtomically(indexPath, System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(index, JsonOptions)));
    }

    // A reused shard does not record which files were skipped; name the ones not readable now (cheap: only when counts differ).
    private static IEnumerable<string> ReadSkipped(string path, int count, int expected, ImageFolder folder, int first)
    {
        if (count == expected) return [];
        return [$"{path}: {expected - count} image(s) of {folder.Samples[first].Path} … were unreadable"];
    }

    /// <summary>Re-encodes an image so its shorter side is ≤ maxSide (or returns it unchanged).</summary>
    public static byte[] Shrink(byte[] jpeg, int maxSide, int quality = 90, TransformScratch? scratch = null)
    {
        scratch ??= new TransformScratch();
        var (w, h) = Jpeg.ReadSize(jpeg);
        if (Math.Min(w, h) <= maxSide)
        {
            Jpeg.DecodeInto(jpeg, Jpeg.ChooseScale(w, h, 8), ref scratch.Decoded); // validate (cheap at 1/8)
            return jpeg;
        }
        int tw, th;
        if (w <= h) { tw = maxSide; th = (int)Math.Round((double)h * maxSide / w); }
        else { th = maxSide; tw = (int)Math.Round((double)w * maxSide / h); }
        var scale = Jpeg.ChooseScale(w, h, tw, th);
        var (sw, sh) = Jpeg.DecodeInto(jpeg, scale, ref scratch.Decoded);
        var output = new RgbImage(tw, th);
        Resampler.Resize(new RgbImage(sw, sh, scratch.Decoded!), 0, 0, sw, sh, 0, 0, sw, sh, output.Span, tw, th, Interpolation.Bicubic);
        return Jpeg.Encode(output, quality);
    }

    private static void WriteShard(string path, byte[]?[] blobs, ImageFolder folder, int first)
    {
        var kept = Enumerable.Range(0, blobs.Length).Where(i => blobs[i] is not null).ToArray();
        var header = new byte[HeaderSize + kept.Length * EntrySize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), kept.Length);
        long offset = header.Length;
        for (var k = 0; k < kept.Length; k++)
        {
            var e = header.AsSpan(HeaderSize + k * EntrySize, EntrySize);
            BinaryPrimitives.WriteInt64LittleEndian(e, offset);
            BinaryPrimitives.WriteInt32LittleEndian(e[8..], blobs[kept[k]]!.Length);
            BinaryPrimitives.WriteInt32LittleEndian(e[12..], folder.Samples[first + kept[k]].Label);
            offset += blobs[kept[k]]!.Length;
        }
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            stream.Write(header);
            foreach (var k in kept) stream.Write(blobs[k]);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}

namespace Leaderboard.Imaging;

public sealed record ImageSample(string Path, int Label);

/// <summary>
/// torchvision's ImageFolder layout: <c>root/split/&lt;class&gt;/**/*.jpg|jpeg</c> (case-insensitive), classes sorted
/// ordinally, samples sorted by path within each class.
/// </summary>
public sealed class ImageFolder : IImageSource
{
    private static readonly string[] Extensions = [".jpg", ".jpeg"];

    private ImageFolder(string directory, IReadOnlyList<string> classes, IReadOnlyList<ImageSample> samples)
    {
        Directory = directory;
        Classes = classes;
        Samples = samples;
    }

    /// <summary>The split folder (<c>root/split</c>).</summary>
    public string Directory { get; }
    public IReadOnlyList<string> Classes { get; }
    public IReadOnlyList<ImageSample> Samples { get; }
    public int Count => Samples.Count;

    public static bool IsImageFile(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    public static ImageFolder Open(string root, string split) => Open(root, split, expectedClasses: null);

    /// <summary>Opens <c>root/split</c>; with <paramref name="expectedClasses"/> (e.g. the train split's) the class lists must be equal.</summary>
    public static ImageFolder Open(string root, string split, IReadOnlyList<string>? expectedClasses)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(split);
        var fullRoot = Path.GetFullPath(root);
        if (!System.IO.Directory.Exists(fullRoot))
        {
            throw new DatasetException($"Dataset folder '{fullRoot}' does not exist.");
        }
        var splitDir = Path.Combine(fullRoot, split);
        if (!System.IO.Directory.Exists(splitDir))
        {
            throw new DatasetException($"Dataset split folder '{splitDir}' does not exist (expected {fullRoot}/{split}/<class>/*.jpeg).");
        }
        var classes = new DirectoryInfo(splitDir).EnumerateDirectories()
            .Select(d => d.Name)
            .Where(n => !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (classes.Length == 0)
        {
            throw new DatasetException($"Dataset split folder '{splitDir}' has no class folders (expected {splitDir}/<class>/*.jpeg).");
        }
        if (expectedClasses is not null && !classes.SequenceEqual(expectedClasses, StringComparer.Ordinal))
        {
            var missing = expectedClasses.Except(classes, StringComparer.Ordinal).Take(5).ToArray();
            var extra = classes.Except(expectedClasses, StringComparer.Ordinal).Take(5).ToArray();
            throw new DatasetException(
                $"Classes of '{splitDir}' ({classes.Length}) differ from the expected {expectedClasses.Count} classes"
                + (missing.Length > 0 ? $"; missing: {string.Join(", ", missing)}" : "")
                + (extra.Length > 0 ? $"; unexpected: {string.Join(", ", extra)}" : "") + ".");
        }

        var samples = new List<ImageSample>();
        for (var label = 0; label < classes.Length; label++)
        {
            var classDir = Path.Combine(splitDir, classes[label]);
            var files = System.IO.Directory.EnumerateFiles(classDir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
                .Where(IsImageFile)
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (files.Length == 0)
            {
                throw new DatasetException($"Class folder '{classDir}' has no images (.jpg/.jpeg).");
            }
            foreach (var f in files) samples.Add(new ImageSample(f, label));
        }
        return new ImageFolder(splitDir, classes, samples);
    }

    public int GetLabel(int index) => Samples[index].Label;

    public string Describe(int index) => Samples[index].Path;

    public int Read(int index, ref byte[] buffer)
    {
        using var handle = File.OpenHandle(Samples[index].Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        if (length > int.MaxValue) throw new ImageDecodeException($"{Samples[index].Path}: file too large");
        if (buffer.Length < length) buffer = new byte[Math.Max(length, buffer.Length * 2L > int.MaxValue ? length : buffer.Length * 2L)];
        var total = 0;
        while (total < length)
        {
            var n = RandomAccess.Read(handle, buffer.AsSpan(total, (int)length - total), total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}

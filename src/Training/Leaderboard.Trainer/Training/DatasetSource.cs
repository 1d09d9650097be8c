using Leaderboard.Imaging;

namespace Leaderboard.Trainer.Training;

/// <summary>A dataset split as the trainer reads it: a packed dataset (<c>prepare-data</c>) when <c>DIR/split/index.json</c>
/// exists, else the ImageFolder. Dispose it (a packed dataset holds its shard files open).</summary>
public sealed class DatasetSource : IDisposable
{
    private readonly PackedDataset? packed;

    public IImageSource Source { get; }
    public IReadOnlyList<string> Classes => Source.Classes;

    private DatasetSource(IImageSource source, PackedDataset? packed)
    {
        Source = source;
        this.packed = packed;
    }

    /// <param name="expectedClasses">when set (evaluation: the checkpoint's), the split's classes must equal them.</param>
    public static DatasetSource Open(string root, string split, IReadOnlyList<string>? expectedClasses = null)
    {
        if (!PackedDataset.Exists(root, split)) return new DatasetSource(ImageFolder.Open(root, split, expectedClasses), null);
        var packed = PackedDataset.Open(root, split);
        if (expectedClasses is not null && !packed.Classes.SequenceEqual(expectedClasses, StringComparer.Ordinal))
        {
            packed.Dispose();
            throw new DatasetException($"Classes of the packed split '{Path.Combine(Path.GetFullPath(root), split)}' ({packed.Classes.Count}) differ from the checkpoint's {expectedClasses.Count} classes.");
        }
        return new DatasetSource(packed, packed);
    }

    public void Dispose() => packed?.Dispose();
}

using Leaderboard.Imaging;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// Splits the train set into what is trained on and a held-back slice evaluated periodically for <c>trainTop1</c>
/// (the trainer never sees the val split). The slice is 2 % of the train images, at most 1000, chosen by the seed:
/// the same seed and dataset give the same slice, and those images are excluded from training.
/// </summary>
public static class HeldOutSplit
{
    public const double Fraction = 0.02;
    public const int MaxImages = 1000;

    public static (IImageSource Train, IImageSource HeldOut) Split(IImageSource source, long seed)
    {
        int n = source.Count;
        int held = Math.Min(MaxImages, (int)Math.Floor(n * Fraction));
        if (n >= 10) held = Math.Max(held, 1);
        if (held == 0) return (source, new SubsetSource(source, []));
        var order = Enumerable.Range(0, n).ToArray();
        new Random(unchecked((int)(seed * 2654435761L ^ 0x5bd1e995))).Shuffle(order);
        var heldOut = order[..held].Order().ToArray();
        var train = order[held..].Order().ToArray();
        return (new SubsetSource(source, train), new SubsetSource(source, heldOut));
    }
}

/// <summary>A view of some samples of another source, in the order given.</summary>
public sealed class SubsetSource(IImageSource inner, int[] indices) : IImageSource
{
    public int Count => indices.Length;
    public IReadOnlyList<string> Classes => inner.Classes;
    public IReadOnlyList<int> Indices => indices;
    public int GetLabel(int index) => inner.GetLabel(indices[index]);
    public string Describe(int index) => inner.Describe(indices[index]);
    public int Read(int index, ref byte[] buffer) => inner.Read(indices[index], ref buffer);
}

namespace Leaderboard.Imaging;

/// <summary>A view of some samples of another source (e.g. a held-back slice of train for periodic validation).</summary>
public sealed class ImageSubset : IImageSource
{
    private readonly IImageSource _inner;
    private readonly int[] _indices;

    public ImageSubset(IImageSource inner, IReadOnlyList<int> indices)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        ArgumentNullException.ThrowIfNull(indices);
        _indices = [.. indices];
        foreach (var i in _indices) ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)inner.Count, nameof(indices));
    }

    public IImageSource Inner => _inner;
    public IReadOnlyList<int> Indices => _indices;
    public int Count => _indices.Length;
    public IReadOnlyList<string> Classes => _inner.Classes;
    public int GetLabel(int index) => _inner.GetLabel(_indices[index]);
    public string Describe(int index) => _inner.Describe(_indices[index]);
    public int Read(int index, ref byte[] buffer) => _inner.Read(_indices[index], ref buffer);
}

public static class ImageSources
{
    /// <summary>The encoded bytes of sample <paramref name="index"/> in a new array.</summary>
    public static byte[] ReadBytes(this IImageSource source, int index)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffer = Array.Empty<byte>();
        var length = source.Read(index, ref buffer);
        return buffer.Length == length ? buffer : buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>
    /// Splits a source into (train, held-out) deterministically by seed, holding out <paramref name="holdOutFraction"/>
    /// of each class (at least one sample per class when the class has two or more).
    /// </summary>
    public static (ImageSubset Train, ImageSubset HeldOut) HoldOut(IImageSource source, double holdOutFraction, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(holdOutFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(holdOutFraction, 1.0);
        var train = new List<int>();
        var held = new List<int>();
        var rng = new Random(seed);
        foreach (var group in Enumerable.Range(0, source.Count).GroupBy(source.GetLabel).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle(members);
            var n = (int)Math.Round(members.Length * holdOutFraction);
            if (holdOutFraction > 0 && n == 0 && members.Length >= 2) n = 1;
            held.AddRange(members[..n]);
            train.AddRange(members[n..]);
        }
        train.Sort();
        held.Sort();
        return (new ImageSubset(source, train), new ImageSubset(source, held));
    }
}

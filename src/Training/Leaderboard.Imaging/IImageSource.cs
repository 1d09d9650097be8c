namespace Leaderboard.Imaging;

/// <summary>A labelled set of encoded (JPEG) images: an <see cref="ImageFolder"/> or a <see cref="PackedDataset"/>.</summary>
public interface IImageSource
{
    int Count { get; }
    IReadOnlyList<string> Classes { get; }
    int GetLabel(int index);

    /// <summary>Where sample <paramref name="index"/> comes from (a path), for error messages.</summary>
    string Describe(int index);

    /// <summary>Reads the encoded bytes of sample <paramref name="index"/> into <paramref name="buffer"/> (grown when too small); returns the length. Thread-safe.</summary>
    int Read(int index, ref byte[] buffer);
}

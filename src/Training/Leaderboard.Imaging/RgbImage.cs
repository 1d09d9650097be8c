namespace Leaderboard.Imaging;

/// <summary>
/// An interleaved RGB8 image, row-major, rows of <c>Width * 3</c> bytes. <see cref="Pixels"/> may be longer than
/// <c>Width * Height * 3</c> (pipelines reuse buffers); only that prefix is the image.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int Width, int Height, byte[] Pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Height);
        ArgumentNullException.ThrowIfNull(Pixels);
        if (Pixels.Length < (long)Width * Height * 3)
        {
            throw new ArgumentException($"{Width}x{Height} RGB needs {Width * Height * 3} bytes, got {Pixels.Length}.", nameof(Pixels));
        }
        this.Width = Width;
        this.Height = Height;
        this.Pixels = Pixels;
    }

    public RgbImage(int width, int height) : this(width, height, new byte[width * height * 3]) { }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }
    public int Stride => Width * 3;
    public int ByteCount => Width * Height * 3;

    public Span<byte> Span => Pixels.AsSpan(0, ByteCount);

    public void Deconstruct(out int width, out int height, out byte[] pixels)
    {
        width = Width;
        height = Height;
        pixels = Pixels;
    }
}

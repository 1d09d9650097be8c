namespace Leaderboard.Imaging;

/// <summary>A JPEG could not be decoded or encoded; the message is libjpeg-turbo's.</summary>
public sealed class ImageDecodeException : Exception
{
    public ImageDecodeException() { }
    public ImageDecodeException(string message) : base(message) { }
    public ImageDecodeException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A dataset folder or packed dataset is missing or malformed; the message names the path.</summary>
public sealed class DatasetException : Exception
{
    public DatasetException() { }
    public DatasetException(string message) : base(message) { }
    public DatasetException(string message, Exception inner) : base(message, inner) { }
}

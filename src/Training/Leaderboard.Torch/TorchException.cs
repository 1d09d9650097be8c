namespace Leaderboard.Torch;

/// <summary>An error raised by libtorch (or the lbtorch shim), carrying libtorch's message.</summary>
public sealed class TorchException : Exception
{
    public TorchException() { }

    public TorchException(string message) : base(message) { }

    public TorchException(string message, Exception inner) : base(message, inner) { }
}

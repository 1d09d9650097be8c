namespace Leaderboard.Torch;

/// <summary>A device: "cpu" or "cuda:N".</summary>
public sealed class Device : IEquatable<Device>
{
    public Device(DeviceType type, int index = -1)
    {
        this.type = type;
        this.index = type == DeviceType.CPU ? -1 : index;
    }

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public Device(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var parts = description.Trim().ToLowerInvariant().Split(':');
        type = parts[0] switch
        {
            "cpu" => DeviceType.CPU,
            "cuda" => DeviceType.CUDA,
            _ => throw new ArgumentException($"unknown device '{description}' (expected cpu, cuda or cuda:N)", nameof(description)),
        };
        var i = -1;
        if (parts.Length == 2)
        {
            if (!int.TryParse(parts[1], out i) || i < 0 || type == DeviceType.CPU)
            {
                throw new ArgumentException($"bad device index in '{description}'", nameof(description));
            }
        }
        else if (parts.Length > 2)
        {
            throw new ArgumentException($"unknown device '{description}'", nameof(description));
        }

        index = i;
    }

    public DeviceType type { get; }

    public int index { get; }

    public bool Equals(Device? other) => other is not null && other.type == type && NormIndex == other.NormIndex;

    public override bool Equals(object? obj) => Equals(obj as Device);

    public override int GetHashCode() => HashCode.Combine(type, NormIndex);

    public override string ToString() => type == DeviceType.CPU ? "cpu" : index < 0 ? "cuda" : $"cuda:{index}";

    // "cuda" and "cuda:0" name the same device for comparisons.
    private int NormIndex => type == DeviceType.CUDA && index < 0 ? 0 : index;

    public static implicit operator Device(string description) => new(description);
}

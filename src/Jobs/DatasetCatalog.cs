using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs;

public sealed class DatasetNotAvailableException(string message) : Exception(message);

/// <summary>Resolves a track's dataset key to a folder on this node.</summary>
public sealed class DatasetCatalog(IOptions<WorkerOptions> options)
{
    public string Resolve(string dataset)
    {
        var worker = options.Value;
        var path = dataset == "synthetic" ? worker.SyntheticDatasetPath
            : worker.Datasets.TryGetValue(dataset, out var configured) ? configured
            : throw new DatasetNotAvailableException(
                $"Dataset '{dataset}' is not configured on this worker: set Worker__Datasets__{dataset} to a folder in ImageFolder layout (train/<class>/*.JPEG, val/<class>/*.JPEG).");
        if (!Directory.Exists(Path.Combine(path, "train")) || !Directory.Exists(Path.Combine(path, "val")))
            throw new DatasetNotAvailableException($"Dataset '{dataset}' at '{path}' is missing its train/ or val/ folder.");
        return Path.GetFullPath(path);
    }
}

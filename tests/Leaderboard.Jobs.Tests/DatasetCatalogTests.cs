using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs.Tests;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("lb-catalog-");

    [Fact]
    public void An_unconfigured_dataset_names_the_setting_to_set()
    {
        var catalog = new DatasetCatalog(Options.Create(new WorkerOptions { DataRoot = _root.FullName }));

        var error = Assert.Throws<DatasetNotAvailableException>(() => catalog.Resolve("imagenet1k"));

        Assert.Contains("Worker__Datasets__imagenet1k", error.Message);
    }

    [Fact]
    public void A_dataset_without_its_val_split_is_refused_before_training()
    {
        var path = Path.Combine(_root.FullName, "imagenet");
        Directory.CreateDirectory(Path.Combine(path, "train"));
        var catalog = new DatasetCatalog(Options.Create(new WorkerOptions { Datasets = { ["imagenet1k"] = path } }));

        var error = Assert.Throws<DatasetNotAvailableException>(() => catalog.Resolve("imagenet1k"));

        Assert.Contains(path, error.Message);
        Assert.Contains("val/", error.Message);
    }

    [Fact]
    public void The_synthetic_dataset_defaults_to_the_data_root()
    {
        var path = Path.Combine(_root.FullName, "datasets", "synthetic");
        Directory.CreateDirectory(Path.Combine(path, "train"));
        Directory.CreateDirectory(Path.Combine(path, "val"));
        var catalog = new DatasetCatalog(Options.Create(new WorkerOptions { DataRoot = _root.FullName }));

        Assert.Equal(path, catalog.Resolve("synthetic"));
    }

    [Fact]
    public void A_configured_trainer_that_does_not_exist_is_named_in_the_error()
    {
        var missing = Path.Combine(_root.FullName, "lb-trainer.dll");

        var error = Assert.Throws<FileNotFoundException>(() => TrainerProcess.ResolveTrainerPath(new WorkerOptions { TrainerPath = missing }));

        Assert.Contains(missing, error.Message);
    }

    public void Dispose() => _root.Delete(recursive: true);
}

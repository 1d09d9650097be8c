using System.Diagnostics;
using Leaderboard.Trainer.Tests.Cli;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

/// <summary>A step frees everything it allocates: 200 steps do not grow the live tensor count or the process memory.</summary>
[Collection(TorchCollection.Name)]
public sealed class MemoryTests(TinyDataset data) : IClassFixture<TinyDataset>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("lb-trainer-mem-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void Two_hundred_steps_do_not_grow_tensors_or_memory()
    {
        var recipe = new Recipe
        {
            Model = new ModelSpec { Variant = "custom", EmbedDim = 32, Depth = 2, Heads = 2, PatchSize = 4, Ffn = "locality", DropPath = 0.1 },
            Training = new TrainingSpec { BatchSize = 16, Ema = 0.99, CheckpointEvery = 0.5 },
            Optimizer = new OptimizerSpec { ClipGradNorm = 1.0 },
            Data = new DataSpec { ImageSize = 16, Augment = "none", Mixup = 0.2, Cutmix = 1.0 },
        };
        long liveAtWarmup = 0, liveAtEnd = 0, rssAtWarmup = 0, rssAtEnd = 0;
        var options = new TrainOptions
        {
            Recipe = recipe, Dataset = data.Root, BudgetSeconds = 3600, OutDir = work, MaxSteps = 200, EvalsPerBudget = 1,
            AfterStep = step =>
            {
                if (step == 30) (liveAtWarmup, rssAtWarmup) = Measure();
                if (step == 200) (liveAtEnd, rssAtEnd) = Measure();
            },
        };
        using (var loop = new TrainingLoop(options, new ProgressWriter(TextWriter.Null)))
            loop.Run();
        Assert.Equal(liveAtWarmup, liveAtEnd);
        Assert.True(rssAtEnd - rssAtWarmup < 40L << 20, $"RSS grew from {rssAtWarmup >> 20} MiB to {rssAtEnd >> 20} MiB");
    }

    private static (long Live, long Rss) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var self = Process.GetCurrentProcess();
        return (torch.Tensor.TotalCount, self.WorkingSet64);
    }
}

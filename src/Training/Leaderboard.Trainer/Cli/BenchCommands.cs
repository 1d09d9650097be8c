using System.Text.Json;
using Leaderboard.Imaging;
using Leaderboard.Trainer.Bench;
using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Cli;

/// <summary><c>bench train|data</c> and <c>prepare-data</c>.</summary>
public static class BenchCommands
{
    public static int Bench(CommandLine cl)
    {
        string what = cl.Positional(0, "what to benchmark (bench train | bench data)");
        return what switch
        {
            "train" => Train(cl),
            "data" => Data(cl),
            _ => throw new UsageException($"bench: unknown benchmark '{what}' (train, data)"),
        };
    }

    private static int Train(CommandLine cl)
    {
        string? recipePath = cl.Option("recipe");
        string model = recipePath ?? cl.Option("model") ?? "deit_tiny";
        int? stage = cl.Option("stage") is null ? null : cl.IntOption("stage", 1, 1);
        int? imgOption = cl.Option("img") is null ? null : cl.IntOption("img", 64);
        int batch = cl.IntOption("batch", 64);
        int steps = cl.IntOption("steps", 30);
        int warmup = cl.IntOption("warmup", 5, 0);
        int classes = cl.IntOption("classes", 1000);
        string deviceName = cl.Device();
        int? threads = cl.Option("threads") is null ? null : cl.IntOption("threads", 1);
        string precision = cl.Option("precision") ?? "fp32";
        if (precision is not ("fp32" or "bf16" or "fp16")) throw new UsageException($"bench train: --precision must be fp32, bf16 or fp16, got '{precision}'");
        cl.RejectUnknown(1);
        ModelConfig config;
        int img = imgOption ?? 64;
        int? baseSize = null;
        (int, int)? active = null;
        if (recipePath is null)
        {
            if (stage is not null) throw new UsageException("bench train: --stage needs --recipe with training.budgeted");
            config = NamedModels.Get(model, classes);
        }
        else
        {
            var recipe = RecipeFiles.Load(recipePath);
            config = ModelResolver.Resolve(recipe.Model, classes);
            baseSize = recipe.Data.ImageSize;
            img = imgOption ?? baseSize.Value;
            if (stage is int k)
            {
                var plan = BudgetedPlan.FromRecipe(recipe, classes)
                    ?? throw new UsageException("bench train: --stage needs a recipe with training.budgeted");
                if (k > plan.Stages.Count) throw new UsageException($"bench train: --stage {k}: the recipe has {plan.Stages.Count} stages");
                var s = plan.Stages[k - 1];
                active = (s.Heads, s.MlpHidden);
                img = imgOption ?? s.ImageSize;
            }
        }
        if (img % config.PatchSize != 0) throw new UsageException($"bench train: --img {img} is not a multiple of the patch size {config.PatchSize}");
        var device = Runtime.Devices.Select(deviceName);
        TorchThreads.Apply(threads);
        var result = TrainBench.Run(model, config, img, batch, steps, warmup, device, precision, active, baseSize);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static int Data(CommandLine cl)
    {
        string dataset = cl.RequireOption("dataset");
        int size = cl.IntOption("size", 224);
        string augment = cl.Option("augment") ?? "deit";
        int threads = cl.IntOption("threads", Environment.ProcessorCount);
        int? max = cl.Option("max-images") is null ? null : cl.IntOption("max-images", 1);
        cl.RejectUnknown(1);
        Console.WriteLine(DataBench.Run(dataset, size, augment, threads, max).ToJson());
        return 0;
    }

    public static int PrepareData(CommandLine cl)
    {
        string source = cl.Positional(0, "source ImageFolder (prepare-data SRC OUT)");
        string output = cl.Positional(1, "output folder (prepare-data SRC OUT)");
        int maxSide = cl.IntOption("max-side", 320, 8);
        int shardSize = cl.IntOption("shard-size", 1000);
        int threads = cl.IntOption("threads", Environment.ProcessorCount);
        cl.RejectUnknown(2);
        var bar = new ProgressBar("prepare-data");
        PackedDataset.Prepare(source, output, maxSide, shardSize,
            new SyncProgress<PackProgress>(p => bar.Report(p.Done, p.Total, p.Split)), threads: threads);
        bar.Done();
        Console.WriteLine(JsonSerializer.Serialize(new { output = Path.GetFullPath(output), maxSide, shardSize }));
        return 0;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Leaderboard.Imaging;
using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Cli;

/// <summary>Verbs that need no libtorch: <c>synth</c> and <c>flops</c>.</summary>
public static class DataCommands
{
    public static int Synth(CommandLine cl)
    {
        string dir = cl.Positional(0, "output folder (synth DIR)");
        var options = new SynthOptions(
            Classes: cl.IntOption("classes", 10, 2),
            Size: cl.IntOption("size", 32, 16),
            TrainPerClass: cl.IntOption("train-per-class", 300, 1),
            ValPerClass: cl.IntOption("val-per-class", 50, 0),
            Seed: cl.IntOption("seed", 0, 0));
        cl.RejectUnknown(1);
        if (options.Classes > 100) throw new UsageException("synth: --classes must be at most 100");
        if (options.Size > 1024) throw new UsageException("synth: --size must be at most 1024");
        var bar = new ProgressBar("synth");
        SyntheticDataset.Generate(dir, options, new SyncProgress<SynthProgress>(p => bar.Report(p.Written, p.Total)));
        bar.Done();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            dataset = Path.GetFullPath(dir), classes = options.Classes, size = options.Size,
            train = options.Classes * options.TrainPerClass, val = options.Classes * options.ValPerClass,
        }));
        return 0;
    }

    /// <summary>
    /// <c>flops (RECIPE | --model NAME) [--img PX] [--classes N] [--budget SECONDS [--train-images N]]</c>: analytic params and
    /// GFLOPs (ModelCost); with a budget (and a recipe), the expected images/s and epochs on each GPU class (CostEstimator).
    /// </summary>
    public static int Flops(CommandLine cl)
    {
        string? model = cl.Option("model");
        int classes = cl.IntOption("classes", 1000);
        int? img = cl.Option("img") is null ? null : cl.IntOption("img", 224);
        int? budget = cl.Option("budget") is null ? null : cl.IntOption("budget", 86400, 1);
        int trainImages = cl.IntOption("train-images", 1_281_167, 1);
        ModelConfig config;
        Recipe? recipe = null;
        int size;
        if (model is not null)
        {
            cl.RejectUnknown(0);
            if (budget is not null) throw new UsageException("flops: --budget needs a recipe (the estimate follows its precision, batch and curriculum)");
            config = NamedModels.Get(model, classes);
            size = img ?? 224;
        }
        else
        {
            string path = cl.Positional(0, "recipe file or --model NAME");
            cl.RejectUnknown(1);
            recipe = RecipeFiles.Load(path);
            config = ModelResolver.Resolve(recipe.Model, classes);
            size = img ?? recipe.Data.ImageSize;
        }
        if (size % config.PatchSize != 0) throw new UsageException($"flops: --img {size} is not a multiple of the patch size {config.PatchSize}");
        var (parameters, flops) = ModelCost.Count(config, size);
        var json = new JsonObject { ["params"] = parameters, ["gflops"] = Math.Round(flops / 1e9, 4), ["img"] = size };
        if (config.Binary is not null)
        {
            // BinaryViT (Le & Li 2023): gflops is the paper's OPs = full-precision FLOPs + BOPs/64; both parts are listed.
            json["gflopsFullPrecision"] = Math.Round(BinaryCost.FullPrecisionFlops(config, size) / 1e9, 4);
            json["gbops"] = Math.Round(BinaryCost.BinaryOps(config, size) / 1e9, 4);
        }
        if (recipe?.Model.Hydra is { } hydra)
        {
            // HydraViT (Haberer et al. 2024): every sub-network's params and GFLOPs at this size too.
            json["perHeads"] = JsonSerializer.SerializeToNode(HydraSubnetworks.All(hydra, config).Select(h => new
            {
                heads = h.Heads, @params = ModelCost.Count(h.Config, size).Params, gflops = Math.Round(ModelCost.Flops(h.Config, size) / 1e9, 4),
                probability = Math.Round(h.Probability, 4),
            }));
        }
        if (recipe is not null && budget is not null)
        {
            var estimate = CostEstimator.Estimate(recipe, new TrackInfo(classes, trainImages, budget.Value, 0, Gpu: true));
            json["budget"] = budget;
            json["trainImages"] = trainImages;
            json["perGpu"] = JsonSerializer.SerializeToNode(estimate.PerGpu.Select(g => new
            {
                gpu = g.Gpu, imagesPerSecond = g.ImagesPerSecond is double ips ? Math.Round(ips) : (double?)null,
                expectedEpochs = g.ExpectedEpochs is double e ? Math.Round(e, 1) : (double?)null, measured = g.Measured, basis = g.Basis,
            }));
        }
        if (recipe is not null && BudgetedPlan.FromRecipe(recipe, classes) is { } plan)
        {
            // Budgeted training (Xia et al. 2023): the stages' active widths, sizes, FLOPs and shares of the budget.
            json["budgeted"] = JsonSerializer.SerializeToNode(new
            {
                relativeCost = plan.RelativeCost, averageGflops = Math.Round(plan.AverageFlops / 1e9, 4), unit = plan.Unit,
                stages = plan.Stages.Select(s => new
                {
                    heads = s.Heads, mlpHidden = s.MlpHidden, img = s.ImageSize, gflops = Math.Round(s.Flops / 1e9, 4),
                    relativeCost = Math.Round(s.RelativeCost, 4), imageShare = Math.Round(s.ImageShare, 4), timeShare = Math.Round(s.TimeShare, 4),
                    start = Math.Round(s.Start, 4), end = Math.Round(s.End, 4),
                }),
            });
        }
        Console.WriteLine(json.ToJsonString());
        return 0;
    }
}

/// <summary>The named models of <c>flops --model</c> and <c>bench train --model</c>: DeiT, patch 16.</summary>
public static class NamedModels
{
    public static IReadOnlyList<string> Names { get; } = ["deit_tiny", "deit_small", "deit_base"];

    public static ModelConfig Get(string name, int classes = 1000)
    {
        string variant = name switch
        {
            "deit_tiny" => "tiny",
            "deit_small" => "small",
            "deit_base" => "base",
            _ => throw new UsageException($"unknown model '{name}' (one of: {string.Join(", ", Names)})"),
        };
        return ModelResolver.Resolve(new ModelSpec { Variant = variant, PatchSize = 16 }, classes);
    }
}

/// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, which would reorder lines).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock gate = new();

    public void Report(T value)
    {
        lock (gate) report(value);
    }
}

/// <summary>A one-line progress bar on stderr, redrawn at most every 1 % on a terminal; when stderr is redirected,
/// one plain line every 10 %.</summary>
public sealed class ProgressBar(string label)
{
    private int lastPercent = -1;
    private string? lastPhase;

    public void Report(long done, long total, string? phase = null)
    {
        int percent = total <= 0 ? 100 : (int)(100 * done / total);
        if (phase != lastPhase)
        {
            Done();
            lastPhase = phase;
            lastPercent = -1;
        }
        string name = phase is null ? label : $"{label} {phase}";
        if (Console.IsErrorRedirected)
        {
            if (percent / 10 == lastPercent / 10 && lastPercent >= 0) return;
            lastPercent = percent;
            Console.Error.WriteLine($"{name}: {percent}% ({done}/{total})");
            return;
        }
        if (percent == lastPercent) return;
        lastPercent = percent;
        int filled = percent / 5;
        Console.Error.Write($"\r{name} [{new string('#', filled)}{new string('.', 20 - filled)}] {percent,3}% {done}/{total}");
    }

    public void Done()
    {
        if (lastPercent >= 0 && !Console.IsErrorRedirected) Console.Error.WriteLine();
        lastPercent = -1;
    }
}

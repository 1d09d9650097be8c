using System.Text.Json;
using Leaderboard.Trainer.Models;
using Leaderboard.Trainer.Tests.Cli;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Models;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

/// <summary>HydraViT training (Haberer et al. 2024): k follows the recipe's distribution, deterministically; a short run
/// learns; evaluation scores every sub-network.</summary>
[Collection(TorchCollection.Name)]
public sealed class HydraSamplingTests(ColourDataset data) : IClassFixture<ColourDataset>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("lb-trainer-hydra-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static readonly ModelConfig Model = new(EmbedDim: 48, Depth: 1, Heads: 3, MlpRatio: 2, PatchSize: 4, NumClasses: 4);

    private static Dictionary<int, double> Frequencies(HydraSpec spec, int draws, long seed = 0)
    {
        using var model = new HydraVisionTransformer(Model, 16);
        var sampling = new HydraSampling(spec, model, seed);
        var counts = new Dictionary<int, int>();
        for (int i = 0; i < draws; i++)
        {
            int k = sampling.BeforeStep();
            Assert.Equal(k, model.ActiveHeads);
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }
        return counts.ToDictionary(kv => kv.Key, kv => (double)kv.Value / draws);
    }

    [Fact]
    public void Uniform_sampling_draws_every_k_of_the_range_equally_often()
    {
        var f = Frequencies(new HydraSpec { MinHeads = 2, MaxHeads = 3 }, 20_000);
        Assert.Equal([2, 3], f.Keys.Order());
        Assert.InRange(f[2], 0.48, 0.52); // 1/2 ± 4 standard errors
    }

    [Fact]
    public void Weighted_sampling_follows_the_weights()
    {
        var f = Frequencies(new HydraSpec { MinHeads = 1, Sampling = "weighted", Weights = [1, 1, 2] }, 20_000);
        Assert.InRange(f[1], 0.235, 0.265);
        Assert.InRange(f[2], 0.235, 0.265);
        Assert.InRange(f[3], 0.48, 0.52);
    }

    [Fact]
    public void Draws_are_deterministic_for_a_seed_and_a_resumed_step()
    {
        using var model = new HydraVisionTransformer(Model, 16);
        var spec = new HydraSpec();
        int[] Draw(HydraSampling s) => Enumerable.Range(0, 50).Select(_ => s.BeforeStep()).ToArray();
        var a = new HydraSampling(spec, model, 7);
        var b = new HydraSampling(spec, model, 7);
        Assert.Equal(Draw(a), Draw(b));
        Assert.NotEqual(Draw(new HydraSampling(spec, model, 7)), Draw(new HydraSampling(spec, model, 8)));
        a.Resume(120);
        b.Resume(120);
        Assert.Equal(Draw(a), Draw(b));
    }

    [Fact]
    public void A_short_run_learns_and_evaluate_scores_every_subnetwork()
    {
        var recipe = new Recipe
        {
            Model = new ModelSpec { Variant = "custom", EmbedDim = 48, Depth = 2, Heads = 3, PatchSize = 4, Init = "torch", Hydra = new HydraSpec { MinHeads = 1 } },
            Optimizer = new OptimizerSpec { Lr = 0.003 },
            Schedule = new ScheduleSpec { Over = "epochs", Epochs = 4, Warmup = 0.5 },
            Training = new TrainingSpec { BatchSize = 16, LabelSmoothing = 0 },
            Data = new DataSpec { ImageSize = 16, Augment = "none" },
            Evaluation = new EvaluationSpec { CropRatio = 1 },
        };
        var output = new StringWriter();
        string checkpoint;
        using (var loop = new TrainingLoop(new TrainOptions
        {
            Recipe = recipe, Dataset = data.Root, BudgetSeconds = 3600, OutDir = work, LoaderThreads = 1, ProgressInterval = 0, EvalsPerBudget = 1,
        }, new ProgressWriter(output)))
        {
            checkpoint = loop.Run();
        }

        var events = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => ProgressEvent.TryParse(l)!).ToList();
        Assert.Contains("HydraViT: 1 to 3 heads", events[0].Message);
        Assert.Matches(@"steps per sub-network: k=1: \d+, k=2: \d+, k=3: \d+", events[^1].Message);
        var losses = events.Where(e => e.Event == "step").Select(e => e.Loss!.Value).ToList();
        double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
        Assert.True(last < first * 0.7, $"loss went from {first:0.###} to {last:0.###}");

        var (code, stdout, stderr) = TrainerProcess.Run("evaluate", checkpoint, "--dataset", data.Root, "--threads", "1");
        Assert.True(code == 0, stderr);
        var result = JsonSerializer.Deserialize<EvaluationResult>(stdout.Trim(), ProgressEvent.JsonOptions)!;
        Assert.Equal([1, 2, 3], result.Subnetworks!.Select(s => s.Heads));
        var config = ModelResolver.Resolve(recipe.Model, ColourDataset.Classes);
        Assert.Equal(Enumerable.Range(1, 3).Select(k => ModelCost.Count(HydraSubnetworks.Config(config, k), 16).Params), result.Subnetworks!.Select(s => s.Params));
        Assert.All(result.Subnetworks!, s => Assert.InRange(s.Top1, 0, 100));
        Assert.Equal(result.Subnetworks![^1].Top1, result.Top1);
        Assert.Equal(result.Subnetworks![^1].Params, result.Params);
        Assert.True(result.Top1 > 50, $"the full sub-network scored {result.Top1} % on 4 colours");
    }
}

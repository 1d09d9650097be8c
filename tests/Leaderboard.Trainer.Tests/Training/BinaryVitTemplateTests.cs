using Leaderboard.Trainer.Training;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

/// <summary>
/// The BinaryViT templates (Le &amp; Li 2023) train through the real loop: their settings as they are, only the pyramid scaled
/// down to a CPU test (16-wide first stage, one block per stage, patch 2 on 16 px images, batch 16, 8 epochs).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class BinaryVitTemplateTests(ColourDataset data) : IClassFixture<ColourDataset>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("lb-trainer-binary-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Theory]
    [InlineData("binaryvit")]
    [InlineData("binaryvit-quick")]
    public void Template_trains_with_falling_loss(string name)
    {
        var template = RecipeParser.Parse(RecipeTemplates.Find(name)!.Yaml).Recipe!;
        var binary = template.Model.Binary!;
        var recipe = template with
        {
            Model = template.Model with { EmbedDim = 16, PatchSize = 2, Binary = binary with { Depths = binary.Depths.Select(_ => 1.0).ToArray() } },
            Optimizer = template.Optimizer with { Lr = 0.003 },
            Schedule = template.Schedule with { Over = "epochs", Epochs = 8, Warmup = 0.5 },
            Training = template.Training with { BatchSize = 16, Precision = "fp32" },
            Data = template.Data with { ImageSize = 16 },
            Evaluation = template.Evaluation with { ImageSize = 16, CropRatio = 1 },
        };
        Assert.Empty(RecipeValidator.Validate(recipe, new TrackRules(ColourDataset.Classes, 64, Gpu: false)));

        var output = new StringWriter();
        var options = new TrainOptions
        {
            Recipe = recipe, Dataset = data.Root, BudgetSeconds = 3600, OutDir = work, LoaderThreads = 1, ProgressInterval = 0, EvalsPerBudget = 1,
        };
        using (var loop = new TrainingLoop(options, new ProgressWriter(output)))
            loop.Run();

        var events = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => ProgressEvent.TryParse(l)!).ToList();
        Assert.Contains("binary stages", events[0].Message);
        Assert.Contains("stopped: epochs done", events[^1].Message);
        var losses = events.Where(e => e.Event == "step").Select(e => e.Loss!.Value).ToList();
        double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
        Assert.True(last < first * 0.85, $"loss went from {first:0.###} to {last:0.###}");

        // The checkpoint loads back as a BinaryViT (evaluation and distillation teachers go through this).
        var (info, model) = Checkpoints.LoadModel(events[^1].Checkpoint!, CPU);
        using (model) Assert.IsType<Leaderboard.Trainer.Models.Binary.BinaryVisionTransformer>(model);
        Assert.NotNull(info.ModelConfig.Binary);
    }
}

using Leaderboard.Trainer.Training;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

/// <summary>
/// The plain ViT-S/16 templates (Beyer et al. 2022) train on generated data: every option of the template as it is
/// (GAP, sin-cos position embeddings, zero head, strong augmentation, mixup 0.2, clipping, warmup + cosine to zero, and
/// the curriculum variant's locality FFN and size steps), only scaled down to a CPU: a 32-wide, 2-block model on 16 px
/// images, batch 16, a schedule over 6 epochs.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PlainVitTemplateTests(ColourDataset data) : IClassFixture<ColourDataset>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("lb-trainer-plain-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Theory]
    [InlineData("plain-vit-s16")]
    [InlineData("plain-vit-s16-curriculum")]
    public void Template_trains_with_falling_loss_from_uniform_predictions(string name)
    {
        var template = RecipeParser.Parse(RecipeTemplates.Find(name)!.Yaml).Recipe!;
        var recipe = template with
        {
            Model = template.Model with { Variant = "custom", EmbedDim = 32, Depth = 2, Heads = 2, PatchSize = 4 },
            Optimizer = template.Optimizer with { Lr = 0.003 },
            Schedule = template.Schedule with { Over = "epochs", Epochs = 6, Warmup = 0.5 },
            Training = template.Training with { BatchSize = 16, Precision = "fp32" },
            Data = template.Data with
            {
                ImageSize = 16,
                Curriculum = template.Data.Curriculum is null ? null : new CurriculumSpec { Start = 8, Step = 4, Every = 2, Unit = "epochs" },
            },
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
        Assert.Contains("stopped: epochs done", events[^1].Message);
        var losses = events.Where(e => e.Event == "step").Select(e => e.Loss!.Value).ToList();
        // The zero head predicts uniformly at the first step: the loss is ln(C) whatever the (mixed) targets.
        Assert.Equal(Math.Log(ColourDataset.Classes), losses[0], 4);
        double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
        Assert.True(last < first * 0.85, $"loss went from {first:0.###} to {last:0.###}");
        if (recipe.Data.Curriculum is not null)
            Assert.Equal([12, 16], events.Where(e => e.Event == "curriculum").Select(e => e.ImageSize!.Value));
    }
}

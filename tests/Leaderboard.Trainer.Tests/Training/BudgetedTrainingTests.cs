using Leaderboard.Trainer.Models;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

/// <summary>Budgeted training in the loop (Xia et al. 2023): the model grows by the plan, ends full, learns, and resumes in its stage.</summary>
[Collection(TorchCollection.Name)]
public sealed class BudgetedTrainingTests(ColourDataset data) : IClassFixture<ColourDataset>, IDisposable
{
    private const int Epochs = 6;
    private readonly string work = Directory.CreateTempSubdirectory("lb-trainer-budgeted-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private static readonly Recipe Recipe = new()
    {
        Model = new ModelSpec { Variant = "custom", EmbedDim = 32, Depth = 2, Heads = 4, MlpRatio = 2, PatchSize = 4, Init = "torch" },
        Optimizer = new OptimizerSpec { Lr = 0.003 },
        // Over epochs the stages sit at fixed points of the data, whatever the machine's speed.
        Schedule = new ScheduleSpec { Over = "epochs", Epochs = Epochs, Warmup = 0.5 },
        Training = new TrainingSpec
        {
            BatchSize = 16, LabelSmoothing = 0,
            Budgeted = new BudgetedSpec { RelativeCost = 0.5, Heads = [1, 2, 4], MlpRatio = [0.5, 1, 2], ImageSize = [8, 12, 16] },
        },
        Data = new DataSpec { ImageSize = 16, Augment = "none" },
    };

    private TrainOptions Options(string outDir) => new()
    {
        Recipe = Recipe, Dataset = data.Root, BudgetSeconds = 3600, OutDir = outDir, LoaderThreads = 1, ProgressInterval = 0, EvalsPerBudget = 1,
    };

    private static List<ProgressEvent> Events(StringWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => ProgressEvent.TryParse(l)!).ToList();

    [Fact]
    public void The_model_grows_stage_by_stage_ends_full_and_learns()
    {
        var plan = BudgetedPlan.FromRecipe(Recipe, ColourDataset.Classes)!;
        var output = new StringWriter();
        using var loop = new TrainingLoop(Options(Path.Combine(work, "run")), new ProgressWriter(output));
        loop.Run();
        var events = Events(output);

        Assert.Contains("budgeted training at 0.5 of the full cost: heads 1→2→4, MLP 16→32→64, 8→12→16 px", events[0].Message);
        Assert.Contains("budgeted stage 1/3: 1 heads, MLP 16, 8 px", events[0].Message);
        var stages = events.Where(e => e.Event == "curriculum").ToList();
        Assert.Equal(["budgeted stage 2/3", "budgeted stage 3/3"], stages.Select(e => e.Message![..18]));
        Assert.Equal([12, 16], stages.Select(e => e.ImageSize!.Value));
        // Each stage starts at the first step past its planned point (an epoch fraction), not later than one batch after it.
        double perStep = loop.Epochs / loop.Step; // epochs per batch
        for (int i = 0; i < 2; i++)
        {
            double planned = plan.Stages[i + 1].Start * Epochs;
            Assert.InRange(stages[i].Epoch!.Value, planned - 0.001, planned + 2 * perStep + 0.001);
        }
        // Steps run at the stage's image size.
        Assert.All(events.Where(e => e.Event == "step" && e.Epoch < plan.Stages[1].Start * Epochs - 0.2), e => Assert.Equal(8, e.ImageSize));
        Assert.All(events.Where(e => e.Event == "step" && e.Epoch > plan.Stages[2].Start * Epochs + 0.2), e => Assert.Equal(16, e.ImageSize));

        // The run ends on the full model, which is what the checkpoint holds and the platform evaluates.
        Assert.All(loop.Model.modules().OfType<Attention>(), a => Assert.Equal(4, a.ActiveHeads));
        Assert.All(loop.Model.modules().OfType<Mlp>(), m => Assert.Equal(64, m.ActiveHidden));
        var losses = events.Where(e => e.Event == "step").Select(e => e.Loss!.Value).ToList();
        double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
        Assert.True(last < first * 0.7, $"loss went from {first:0.###} to {last:0.###}");
    }

    [Fact]
    public void A_resumed_run_continues_in_the_stage_its_progress_is_in()
    {
        var plan = BudgetedPlan.FromRecipe(Recipe, ColourDataset.Classes)!;
        string dir = Path.Combine(work, "resume");
        string checkpoint;
        double epochs;
        // Stop in the middle of the second stage (one step tells how many epochs a step is).
        double perStep;
        using (var loop = new TrainingLoop(Options(Path.Combine(work, "probe")) with { MaxSteps = 1 }, new ProgressWriter(TextWriter.Null)))
        {
            loop.Run();
            perStep = loop.Epochs;
        }
        long stopAt = (long)Math.Ceiling((plan.Stages[1].Start + plan.Stages[1].End) / 2 * Epochs / perStep);
        using (var loop = new TrainingLoop(Options(dir) with { MaxSteps = stopAt }, new ProgressWriter(TextWriter.Null)))
        {
            checkpoint = loop.Run();
            epochs = loop.Epochs;
        }
        var expected = plan.At(epochs / Epochs);
        Assert.Equal(2, expected.Heads);

        var output = new StringWriter();
        using (var loop = new TrainingLoop(Options(dir) with { Resume = checkpoint, MaxSteps = stopAt + 2 }, new ProgressWriter(output)))
        {
            loop.Run();
            Assert.All(loop.Model.modules().OfType<Attention>(), a => Assert.Equal(2, a.ActiveHeads));
        }
        var start = Events(output)[0];
        Assert.Equal(12, start.ImageSize);
        Assert.Contains("budgeted stage 2/3: 2 heads, MLP 32, 12 px", start.Message);
    }
}

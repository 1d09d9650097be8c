using Leaderboard.Trainer.Models;
using Leaderboard.Trainer.Tests.Cli;
using Leaderboard.Trainer.Tests.Models;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

/// <summary>DeiT distillation: the loss is built from the teacher's outputs as the paper specifies, and a student learns from a teacher run's checkpoint.</summary>
[Collection(TorchCollection.Name)]
public sealed class DistillationTests(ColourDataset data) : IClassFixture<ColourDataset>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("lb-trainer-distil-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000", Justification = "The Distillation owns and disposes its teacher.")]
    private static Distillation WithTeacher(DistillationSpec spec, int seed)
    {
        manual_seed(seed);
        var teacher = new VisionTransformer(TinyModels.Config(), TinyModels.ImageSize);
        var info = new CheckpointInfo(new Recipe(), "{}", 60, 100, 2, 16, 16, ["a", "b", "c", "d", "e"]);
        return new Distillation(spec, teacher, info);
    }

    [Fact]
    public void Hard_distillation_is_cross_entropy_with_the_teachers_argmax()
    {
        using var distillation = WithTeacher(new DistillationSpec { TeacherRun = 7, Type = "hard", Alpha = 0.3 }, seed: 1);
        manual_seed(1);
        using var teacher = new VisionTransformer(TinyModels.Config(), TinyModels.ImageSize); // the same weights as the one inside
        teacher.eval();
        using var scope = NewDisposeScope();
        var x = randn(6, 3, TinyModels.ImageSize, TinyModels.ImageSize);
        var head = randn(6, 5, requires_grad: true);
        var labelLoss = tensor(2.0f);

        var loss = distillation.Loss(x, labelLoss, head);

        var argmax = teacher.forward(x).argmax(1);
        double expected = 0.7 * 2.0 + 0.3 * nn.functional.cross_entropy(head, argmax).item<float>();
        Assert.Equal(expected, loss.item<float>(), 5);
        loss.backward();
        Assert.True(head.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Soft_distillation_is_tau_squared_kl_to_the_teachers_softened_outputs()
    {
        var spec = new DistillationSpec { TeacherRun = 7, Type = "soft", Alpha = 0.5, Tau = 3.0 };
        using var distillation = WithTeacher(spec, seed: 2);
        manual_seed(2);
        using var teacher = new VisionTransformer(TinyModels.Config(), TinyModels.ImageSize);
        teacher.eval();
        using var scope = NewDisposeScope();
        var x = randn(4, 3, TinyModels.ImageSize, TinyModels.ImageSize);
        var head = randn(4, 5);

        double loss = distillation.Loss(x, tensor(1.0f), head).item<float>();

        // KL(q ‖ p) per image with q = softmax(teacher / τ), p = softmax(head / τ), averaged over the batch, times τ².
        var t = teacher.forward(x).data<float>().ToArray();
        var h = head.data<float>().ToArray();
        double kl = 0;
        for (int i = 0; i < 4; i++)
        {
            var q = Softmax(t.Skip(i * 5).Take(5).Select(v => v / 3.0).ToArray());
            var p = Softmax(h.Skip(i * 5).Take(5).Select(v => v / 3.0).ToArray());
            kl += q.Zip(p).Sum(z => z.First * Math.Log(z.First / z.Second));
        }
        Assert.Equal(0.5 * 1.0 + 0.5 * 9 * kl / 4, loss, 4);
    }

    private static double[] Softmax(double[] v)
    {
        double max = v.Max();
        var e = v.Select(x => Math.Exp(x - max)).ToArray();
        return e.Select(x => x / e.Sum()).ToArray();
    }

    [Fact]
    public void The_loss_follows_the_teacher_and_the_teacher_stays_frozen()
    {
        using var one = WithTeacher(new DistillationSpec { TeacherRun = 1, Type = "soft" }, seed: 3);
        using var other = WithTeacher(new DistillationSpec { TeacherRun = 2, Type = "soft" }, seed: 4);
        using var scope = NewDisposeScope();
        var x = randn(4, 3, TinyModels.ImageSize, TinyModels.ImageSize);
        var head = randn(4, 5, requires_grad: true);
        var a = one.Loss(x, tensor(0f), head);
        var b = other.Loss(x, tensor(0f), head);
        Assert.NotEqual(a.item<float>(), b.item<float>(), 4);
        a.backward(); // the graph reaches the student's head only: the teacher has no parameters that want gradients
    }

    [Fact]
    public void A_student_learns_from_a_teacher_runs_checkpoint()
    {
        // The teacher: an earlier run on the same data.
        var teacherRecipe = new Recipe
        {
            Model = new ModelSpec { Variant = "custom", EmbedDim = 32, Depth = 2, Heads = 2, PatchSize = 4, Init = "torch" },
            Optimizer = new OptimizerSpec { Lr = 0.003 },
            Schedule = new ScheduleSpec { Over = "epochs", Epochs = 4, Warmup = 0.5 },
            Training = new TrainingSpec { BatchSize = 16, LabelSmoothing = 0 },
            Data = new DataSpec { ImageSize = 16, Augment = "none" },
        };
        string teacherDir = Path.Combine(work, "teacher");
        string teacherCheckpoint;
        using (var loop = new TrainingLoop(Options(teacherRecipe, teacherDir), new ProgressWriter(TextWriter.Null)))
            teacherCheckpoint = loop.Run();

        // The student: a DeiT-style distillation token learning from the teacher's hard labels.
        var student = teacherRecipe with
        {
            Model = teacherRecipe.Model with { DistillationToken = true, Depth = 1 },
            Training = teacherRecipe.Training with { Distillation = new DistillationSpec { TeacherRun = 12, Type = "hard" } },
        };
        var output = new StringWriter();
        using (var loop = new TrainingLoop(Options(student, Path.Combine(work, "student")) with { Teacher = teacherCheckpoint }, new ProgressWriter(output)))
            loop.Run();

        var events = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => ProgressEvent.TryParse(l)!).ToList();
        Assert.Contains("distilling (hard, alpha 0.5) from run 12: ViT 32x2x2 p4", events[0].Message);
        var losses = events.Where(e => e.Event == "step").Select(e => e.Loss!.Value).ToList();
        double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
        Assert.True(last < first * 0.7, $"loss went from {first:0.###} to {last:0.###}");
    }

    [Fact]
    public void A_teacher_trained_on_other_classes_is_refused()
    {
        using var other = new TinyDataset(); // classes c00…c03, not c0…c3
        var recipe = new Recipe
        {
            Model = new ModelSpec { Variant = "custom", EmbedDim = 32, Depth = 1, Heads = 2, PatchSize = 4 },
            Training = new TrainingSpec { BatchSize = 16 },
            Data = new DataSpec { ImageSize = 16, Augment = "none" },
        };
        string teacherCheckpoint;
        using (var loop = new TrainingLoop(Options(recipe, Path.Combine(work, "t"), other.Root) with { MaxSteps = 1 }, new ProgressWriter(TextWriter.Null)))
            teacherCheckpoint = loop.Run();
        var student = recipe with { Training = recipe.Training with { Distillation = new DistillationSpec { TeacherRun = 3 } } };
        var error = Assert.Throws<InvalidDataException>(() =>
            new TrainingLoop(Options(student, Path.Combine(work, "s")) with { Teacher = teacherCheckpoint }, new ProgressWriter(TextWriter.Null)));
        Assert.Contains("other classes", error.Message);
    }

    [Fact]
    public void A_teacher_that_cannot_see_the_students_image_sizes_is_refused()
    {
        var teacherRecipe = new Recipe
        {
            Model = new ModelSpec { Variant = "custom", EmbedDim = 32, Depth = 1, Heads = 2, PatchSize = 8 },
            Training = new TrainingSpec { BatchSize = 16 },
            Data = new DataSpec { ImageSize = 16, Augment = "none" },
        };
        string teacherCheckpoint;
        using (var loop = new TrainingLoop(Options(teacherRecipe, Path.Combine(work, "t")) with { MaxSteps = 1 }, new ProgressWriter(TextWriter.Null)))
            teacherCheckpoint = loop.Run();
        // The student starts at 12 px (patch 4): a patch-8 teacher cannot cut 12 px images into patches.
        var student = teacherRecipe with
        {
            Model = teacherRecipe.Model with { PatchSize = 4 },
            Data = teacherRecipe.Data with { Curriculum = new CurriculumSpec { Start = 12, Step = 4, Every = 0.5 } },
            Training = teacherRecipe.Training with { Distillation = new DistillationSpec { TeacherRun = 3 } },
        };
        var error = Assert.Throws<InvalidDataException>(() =>
            new TrainingLoop(Options(student, Path.Combine(work, "s")) with { Teacher = teacherCheckpoint }, new ProgressWriter(TextWriter.Null)));
        Assert.Contains("patch size 8 and cannot see the student's 12 px images", error.Message);
    }

    private TrainOptions Options(Recipe recipe, string outDir, string? dataset = null) => new()
    {
        Recipe = recipe, Dataset = dataset ?? data.Root, BudgetSeconds = 3600, OutDir = outDir, LoaderThreads = 1, ProgressInterval = 0, EvalsPerBudget = 1,
    };
}

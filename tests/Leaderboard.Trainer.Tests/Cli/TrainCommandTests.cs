using System.Text.Json;
using Leaderboard.Training.Progress;

namespace Leaderboard.Trainer.Tests.Cli;

/// <summary>End to end through the executable: train under a budget, evaluate, curriculum, kill and resume, errors.</summary>
public sealed class TrainCommandTests(TinyDataset data) : IClassFixture<TinyDataset>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("lb-trainer-run-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Theory]
    [InlineData("fp32")]
    [InlineData("bf16")]
    public void Train_emits_progress_and_a_checkpoint_that_evaluate_scores(string precision)
    {
        string outDir = Path.Combine(work, "out");
        using var run = new TrainerProcess("train", data.Recipe(work, precision: precision), "--dataset", data.Root, "--budget", "8", "--out", outDir, "--threads", "1");
        Assert.True(run.Wait() == 0, run.Stderr);
        var events = run.Events;
        Assert.Equal("start", events[0].Event);
        Assert.Contains(events, e => e.Event == "step" && e.Loss > 0 && e.Lr > 0 && e.ImagesPerSecond > 0 && e.ImageSize == 16);
        Assert.Contains(events, e => e.Event == "checkpoint");
        var done = events[^1];
        Assert.Equal("done", done.Event);
        Assert.True(done.Elapsed < 8, $"stopped at {done.Elapsed} s, after the 8 s budget");
        Assert.True(File.Exists(done.Checkpoint));
        Assert.True(File.Exists(Path.Combine(outDir, "checkpoint.state.safetensors")));

        var (code, stdout, stderr) = TrainerProcess.Run("evaluate", done.Checkpoint!, "--dataset", data.Root, "--threads", "1");
        Assert.True(code == 0, stderr);
        var result = JsonSerializer.Deserialize<EvaluationResult>(stdout.Trim(), ProgressEvent.JsonOptions)!;
        Assert.Equal(40, result.Images);
        Assert.InRange(result.Top1, 0, 100);
        Assert.True(result.Top5 >= result.Top1);
        Assert.True(result.Params > 0);
        Assert.True(result.ImagesPerSecond > 0);
        Assert.StartsWith("TorchSharp 0.107.0, libtorch 2.10.0", result.Library);
    }

    [Fact]
    public void Curriculum_changes_the_image_size_at_the_planned_points()
    {
        string recipe = data.Recipe(work, "{ start: 8, step: 4, every: 0.3, unit: budget }");
        using var run = new TrainerProcess("train", recipe, "--dataset", data.Root, "--budget", "10", "--out", Path.Combine(work, "out"), "--threads", "1");
        Assert.True(run.Wait() == 0, run.Stderr);
        var events = run.Events;
        Assert.Equal(8, events[0].ImageSize);
        var changes = events.Where(e => e.Event == "curriculum").ToList();
        Assert.Equal([12, 16], changes.Select(e => e.ImageSize!.Value));
        Assert.True(changes[0].Elapsed >= 3.0 && changes[1].Elapsed >= 6.0, string.Join(", ", changes.Select(c => c.Elapsed)));
        // Steps after each change run at the new size.
        Assert.Contains(events, e => e.Event == "step" && e.ImageSize == 12);
        Assert.Equal(16, events.Last(e => e.Event == "step").ImageSize);
    }

    [Fact]
    public void Killed_run_resumes_from_its_last_checkpoint()
    {
        string recipe = data.Recipe(work);
        string outDir = Path.Combine(work, "out");
        int step;
        using (var first = new TrainerProcess("train", recipe, "--dataset", data.Root, "--budget", "30", "--out", outDir, "--threads", "1"))
        {
            var checkpoint = first.WaitFor(e => e.Event == "checkpoint");
            step = (int)checkpoint.Step!.Value;
            first.Kill();
            first.Wait();
        }
        string ckpt = Path.Combine(outDir, "checkpoint.safetensors");
        using var second = new TrainerProcess("train", recipe, "--dataset", data.Root, "--budget", "12", "--out", outDir, "--threads", "1", "--resume", ckpt);
        Assert.True(second.Wait() == 0, second.Stderr);
        var events = second.Events;
        Assert.Contains($"resumed at step", events[0].Message);
        Assert.True(events[0].Step >= step, $"resumed at {events[0].Step}, checkpoint was at {step}");
        Assert.True(events[0].Elapsed >= 6, $"elapsed restarted at {events[0].Elapsed}"); // continues from the checkpoint's (≥ 0.2 × 30 s)
        Assert.True(events.First(e => e.Event == "step").Step > events[0].Step);
        Assert.Equal("done", events[^1].Event);
    }

    [Theory]
    [InlineData(2, "missing --budget", "train", "RECIPE", "--dataset", "DATA", "--out", "OUT")]
    [InlineData(2, "unknown verb", "fly")]
    [InlineData(2, "unknown option --bogus", "flops", "--model", "deit_tiny", "--bogus", "1")]
    [InlineData(1, "does not exist", "train", "RECIPE", "--dataset", "/nonexistent/data", "--budget", "5", "--out", "OUT")]
    [InlineData(1, "optimizer.lr", "train", "BADRECIPE", "--dataset", "DATA", "--budget", "5", "--out", "OUT")]
    [InlineData(1, "no template 'nope'; templates: deit-tiny-baseline", "flops", "template:nope")]
    [InlineData(2, "the recipe distils from run 9: pass that run's checkpoint with --teacher CKPT", "train", "DISTILRECIPE", "--dataset", "DATA", "--budget", "5", "--out", "OUT")]
    [InlineData(2, "--teacher is given but the recipe does not distil", "train", "RECIPE", "--dataset", "DATA", "--budget", "5", "--out", "OUT", "--teacher", "x.safetensors")]
    [InlineData(1, "teacher checkpoint", "train", "DISTILRECIPE", "--dataset", "DATA", "--budget", "5", "--out", "OUT", "--teacher", "/nonexistent/t.safetensors")]
    [InlineData(2, "--budget needs a recipe", "flops", "--model", "deit_tiny", "--budget", "60")]
    public void Errors_are_one_line_with_exit_code(int code, string message, params string[] args)
    {
        string bad = Path.Combine(work, "bad.yaml");
        File.WriteAllText(bad, "optimizer:\n  lr: -1\n");
        string distil = Path.Combine(work, "distil.yaml");
        File.WriteAllText(distil, File.ReadAllText(data.Recipe(work)).Replace("training:\n", "training:\n  distillation: { teacher_run: 9 }\n", StringComparison.Ordinal));
        var resolved = args.Select(a => a switch
        {
            "RECIPE" => data.Recipe(work),
            "BADRECIPE" => bad,
            "DISTILRECIPE" => distil,
            "DATA" => data.Root,
            "OUT" => Path.Combine(work, "out"),
            _ => a,
        }).ToArray();
        var (exit, _, stderr) = TrainerProcess.Run(resolved);
        Assert.Equal(code, exit);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void A_platform_template_is_a_recipe_by_its_name()
    {
        var (code, stdout, stderr) = TrainerProcess.Run("flops", "template:tiny-quick");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var recipe = Leaderboard.Training.Recipes.RecipeParser.Parse(Leaderboard.Training.Recipes.RecipeTemplates.Find("tiny-quick")!.Yaml).Recipe!;
        var cost = Leaderboard.Training.Models.ModelCost.Count(Leaderboard.Training.Models.ModelResolver.Resolve(recipe.Model, 1000), recipe.Data.ImageSize);
        Assert.Equal(cost.Params, doc.RootElement.GetProperty("params").GetInt64());
    }

    [Fact]
    public void Flops_of_a_binary_model_lists_its_binary_and_full_precision_operations()
    {
        var (code, stdout, stderr) = TrainerProcess.Run("flops", "template:binaryvit", "--budget", "86400");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        // BinaryViT (Le & Li 2023) reports OPs = FLOPs + BOPs/64: gflops is that, beside its two parts.
        double ops = root.GetProperty("gflopsFullPrecision").GetDouble() + root.GetProperty("gbops").GetDouble() / 64;
        Assert.Equal(ops, root.GetProperty("gflops").GetDouble(), 3);
        Assert.True(root.GetProperty("gbops").GetDouble() > root.GetProperty("gflopsFullPrecision").GetDouble());
        Assert.NotEmpty(root.GetProperty("perGpu").EnumerateArray());
    }

    [Fact]
    public void Flops_of_deit_tiny_is_timms()
    {
        var (code, stdout, _) = TrainerProcess.Run("flops", "--model", "deit_tiny");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(5_717_416, doc.RootElement.GetProperty("params").GetInt64());
        Assert.Equal(1.26, doc.RootElement.GetProperty("gflops").GetDouble(), 2);
    }
}

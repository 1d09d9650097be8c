using Leaderboard.Training.Progress;

namespace Leaderboard.Trainer.Tests.Cli;

/// <summary>
/// <c>lb-trainer preflight</c> through the executable, one test per verdict: out of memory, a non-finite loss, too slow for
/// one epoch in the budget, and a pass with the measured rates.
/// </summary>
public sealed class PreflightCommandTests(TinyDataset data) : IClassFixture<TinyDataset>, IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("lb-trainer-preflight-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private (int Code, PreflightReport Report, string Stderr) Preflight(string recipe, params string[] options)
    {
        var (code, stdout, stderr) = TrainerProcess.Run(["preflight", recipe, "--dataset", data.Root, "--threads", "1", .. options]);
        var report = stdout.Split('\n').Select(PreflightReport.TryParse).OfType<PreflightReport>().SingleOrDefault();
        Assert.True(report is not null, $"no verdict line (exit {code}): {stdout} {stderr}");
        return (code, report!, stderr);
    }

    [Fact]
    public void A_recipe_that_fits_passes_with_the_rate_measured_at_the_first_and_final_size()
    {
        var (code, report, stderr) = Preflight(data.Recipe(work, "{ start: 8, step: 4, every: 0.3, unit: budget }"), "--budget", "3600", "--steps", "3");

        Assert.True(code == 0, stderr);
        Assert.True(report.Passed, report.Reason);
        Assert.Null(report.Failure);
        Assert.Equal([8, 16], report.Sizes.Select(s => s.ImageSize));
        Assert.All(report.Sizes, s => Assert.True(s.ImagesPerSecond > 0 && s.Steps == 3 && s.BatchSize == 16 && double.IsFinite(s.Loss!.Value)));
        Assert.Equal(236, report.TrainImages); // 240 less the held-back slice
        Assert.True(report.EpochSeconds > 0 && report.EpochSeconds < 3600);
        Assert.Equal(3600, report.ExpectedTrainSeconds);
        Assert.Equal("wall", report.Clock);
        Assert.Contains("at 8 px: ", report.Reason);
        Assert.Contains("at 16 px: ", report.Reason);
        Assert.Contains("one epoch of 236 images needs", report.Reason);
        Assert.Contains("pre-flight passed", stderr);
    }

    [Fact]
    public void With_the_cpu_clock_the_rates_count_the_trainers_cpu_seconds()
    {
        var (code, report, stderr) = Preflight(data.Recipe(work), "--budget", "3600", "--steps", "2", "--clock", "cpu");

        Assert.True(code == 0, stderr);
        Assert.Equal("cpu", report.Clock);
        Assert.True(Assert.Single(report.Sizes).ImagesPerSecond > 0);
        Assert.StartsWith("at 16 px: ", report.Reason);
        Assert.Contains(" images per CPU-second; one epoch of 236 images needs", report.Reason);
    }

    [Fact]
    public void A_throughput_too_low_for_one_epoch_in_the_budget_fails_with_the_numbers()
    {
        // 236 images in a millisecond would need 236,000 images/s.
        var (code, report, _) = Preflight(data.Recipe(work), "--budget", "0.001", "--steps", "2");

        Assert.Equal(3, code);
        Assert.False(report.Passed);
        Assert.Equal(PreflightReport.TooSlow, report.Failure);
        var rate = Assert.Single(report.Sizes).ImagesPerSecond;
        Assert.Matches(@"^at 16 px: [\d,.]+ images/s; one epoch of 236 images needs [\d.]+ (s|min|h), the budget is 0.001 s$", report.Reason);
        Assert.Equal(236 / rate, report.EpochSeconds!.Value, 0.01);
    }

    [Fact]
    public void A_loss_that_turns_non_finite_fails_naming_the_step_and_the_lr()
    {
        // SGD at lr 10 without warmup or clipping: the weights blow up within a few steps (deterministic: one thread, seed 0).
        string recipe = Path.Combine(work, "diverges.yaml");
        File.WriteAllText(recipe, File.ReadAllText(data.Recipe(work)).Replace("  lr: 0.003", "  name: sgd\n  lr: 10\n  momentum: 0.9")
            + "\nschedule:\n  warmup: 0\n");
        var (code, report, _) = Preflight(recipe, "--budget", "3600", "--steps", "20");

        Assert.Equal(3, code);
        Assert.False(report.Passed);
        Assert.Equal(PreflightReport.NonFiniteLoss, report.Failure);
        Assert.Matches(@"^the loss was (NaN|\+Inf|-Inf) at step \d+ of the pre-flight at 16 px \(lr 10, batch 16, fp32\)", report.Reason);
    }

    [Fact]
    public void Running_out_of_memory_fails_naming_libtorchs_allocation_error()
    {
        // 64 MB more address space than at the start: the activations of a batch of 256 at 64 px (257 tokens; one
        // attention map alone is over 100 MB) need more, so libtorch's CPU allocator fails as on a machine out of memory.
        string recipe = Path.Combine(work, "big-batch.yaml");
        File.WriteAllText(recipe, File.ReadAllText(data.Recipe(work)).Replace("batch_size: 16", "batch_size: 256").Replace("image_size: 16", "image_size: 64"));
        var (code, report, _) = Preflight(recipe, "--budget", "3600", "--memory-limit-mb", "64");

        Assert.Equal(3, code);
        Assert.False(report.Passed);
        Assert.Equal(PreflightReport.OutOfMemory, report.Failure);
        Assert.StartsWith("out of memory training at 64 px (batch 256, fp32): ", report.Reason);
        Assert.Contains("DefaultCPUAllocator: can't allocate memory: you tried to allocate", report.Reason);
        Assert.EndsWith("lower training.batch_size, the image size or the model size, or train in bf16", report.Reason);
        Assert.Empty(report.Sizes);
    }
}

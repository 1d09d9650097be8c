using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

public class CostEstimatorTests
{
    // imagenet1k-1gpu-24h as seeded (src/Data/TrackSeeder.cs).
    private static readonly TrackInfo ImageNet24h = new(1000, 1_281_167, 24 * 3600, 200);
    private static readonly TrackInfo SyntheticCpu = new(10, 3000, 120, 0.2);

    private static Recipe Parse(string yaml) => RecipeParser.Parse(yaml).Recipe!;

    [Fact]
    public void Deit_tiny_without_curriculum()
    {
        var estimate = CostEstimator.Estimate(Parse("data: {image_size: 224}"), ImageNet24h);
        Assert.Equal(5_717_416, estimate.Params);
        Assert.Equal(1.2584112, estimate.Gflops, 6);
        var size = Assert.Single(estimate.PerSize);
        Assert.Equal(224, size.ImageSize);
        Assert.Equal(1.0, size.BudgetFraction);
        // 200 TFLOP/s · 0.35 / (3 · 2 · 1.258 GFLOP) ≈ 9270 images/s.
        double ips = 200e12 * 0.35 / (6 * 1.2584112e9);
        Assert.Equal(ips, estimate.ExpectedImagesPerSecond!.Value, 6);
        Assert.Equal(ips * 86400 / 1_281_167, estimate.ExpectedEpochs!.Value, 6);
    }

    [Fact]
    public void A_budget_curriculum_spends_its_fractions_and_buys_epochs()
    {
        var plain = CostEstimator.Estimate(Parse("model: {variant: small}\ndata: {image_size: 224}"), ImageNet24h);
        var estimate = CostEstimator.Estimate(Parse("model: {variant: small}\ndata: {image_size: 224, curriculum: {start: 32, step: 32, every: 0.1}}"), ImageNet24h);

        Assert.Equal([32, 64, 96, 128, 160, 192, 224], estimate.PerSize.Select(s => s.ImageSize));
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4], estimate.PerSize.Select(s => Math.Round(s.BudgetFraction!.Value, 9)));
        Assert.True(estimate.PerSize.Zip(estimate.PerSize.Skip(1)).All(p => p.First.Gflops < p.Second.Gflops));
        Assert.Equal(plain.Gflops, estimate.Gflops);
        Assert.Equal(plain.Params, estimate.Params);
        Assert.Equal(estimate.PerSize.Sum(s => s.Epochs!.Value), estimate.ExpectedEpochs!.Value, 9);
        Assert.True(estimate.ExpectedEpochs > 1.5 * plain.ExpectedEpochs!);
        // The final size gets 40 % of the time: 40 % of the plain run's epochs.
        Assert.Equal(0.4 * plain.ExpectedEpochs!.Value, estimate.PerSize[^1].Epochs!.Value, 6);
    }

    [Fact]
    public void An_epoch_curriculum_holds_each_size_for_its_epochs()
    {
        var estimate = CostEstimator.Estimate(Parse("data: {image_size: 224, curriculum: {start: 32, step: 32, every: 5, unit: epochs}}"), ImageNet24h);
        Assert.All(estimate.PerSize.SkipLast(1), s => Assert.Equal(5, s.Epochs!.Value, 6));
        Assert.Equal(1, estimate.PerSize.Sum(s => s.BudgetFraction!.Value), 9);
        Assert.True(estimate.PerSize[^1].BudgetFraction > 0);
    }

    [Fact]
    public void An_epoch_curriculum_longer_than_the_budget_never_reaches_the_last_sizes()
    {
        var estimate = CostEstimator.Estimate(Parse("data: {image_size: 224, curriculum: {start: 32, step: 32, every: 1000000, unit: epochs}}"), ImageNet24h);
        Assert.Equal(1, estimate.PerSize[0].BudgetFraction);
        Assert.All(estimate.PerSize.Skip(1), s => Assert.Equal(0, s.BudgetFraction));
        Assert.True(estimate.ExpectedEpochs < 1000000);
    }

    [Fact]
    public void The_data_pipeline_ceiling_caps_small_sizes()
    {
        var recipe = Parse("data: {image_size: 224, curriculum: {start: 32, step: 32, every: 0.1}}");
        var capped = CostEstimator.Estimate(recipe, ImageNet24h with { MaxImagesPerSecond = 20_000 });
        var free = CostEstimator.Estimate(recipe, ImageNet24h);
        Assert.Equal(20_000, capped.PerSize[0].ImagesPerSecond);
        Assert.True(free.PerSize[0].ImagesPerSecond > 100_000);
        Assert.Equal(free.PerSize[^1].ImagesPerSecond, capped.PerSize[^1].ImagesPerSecond); // 224 px is compute-bound
        Assert.True(capped.ExpectedEpochs < free.ExpectedEpochs);
    }

    [Fact]
    public void Without_reference_throughput_only_params_and_flops_are_given()
    {
        var estimate = CostEstimator.Estimate(new Recipe(), ImageNet24h with { ReferenceTflops = 0 });
        Assert.Null(estimate.ExpectedEpochs);
        Assert.Null(estimate.ExpectedImagesPerSecond);
        Assert.Null(estimate.PerSize[0].ImagesPerSecond);
        Assert.True(estimate.Params > 0 && estimate.Gflops > 0);
    }

    [Fact]
    public void Fp32_uses_the_tracks_fp32_throughput_when_it_has_one()
    {
        var track = ImageNet24h with { ReferenceTflopsFp32 = 20 };
        double bf16 = CostEstimator.Estimate(Parse("training: {precision: bf16}"), track).ExpectedEpochs!.Value;
        double fp32 = CostEstimator.Estimate(Parse("training: {precision: fp32}"), track).ExpectedEpochs!.Value;
        Assert.Equal(10, bf16 / fp32, 6);
    }

    [Fact]
    public void Bigger_models_and_images_cost_more_and_fit_fewer_epochs()
    {
        var tiny = CostEstimator.Estimate(Parse("data: {image_size: 224}"), ImageNet24h);
        var small = CostEstimator.Estimate(Parse("model: {variant: small}\ndata: {image_size: 224}"), ImageNet24h);
        var tiny384 = CostEstimator.Estimate(Parse("data: {image_size: 384}"), ImageNet24h);
        Assert.True(small.Gflops > 3 * tiny.Gflops && small.ExpectedEpochs < tiny.ExpectedEpochs / 3);
        Assert.True(tiny384.Gflops > 3 * tiny.Gflops && tiny384.ExpectedEpochs < tiny.ExpectedEpochs);
    }

    private static readonly TrackInfo ImageNet24hGpu = ImageNet24h with { Gpu = true };
    private static readonly TrackInfo ImageNet1hGpu = ImageNet24hGpu with { BudgetSeconds = 3600 };

    [Fact]
    public void A_gpu_track_is_estimated_on_every_gpu_class_of_the_table()
    {
        var recipe = Parse(RecipeTemplates.PlainVitS16.Yaml);
        var estimate = CostEstimator.Estimate(recipe, ImageNet24hGpu);
        Assert.Equal(GpuClasses.All.Select(g => g.Name), estimate.PerGpu.Select(g => g.Gpu));
        var h100 = estimate.PerGpu.Single(g => g.Gpu.StartsWith("H100", StringComparison.Ordinal));
        // 989 TFLOP/s bf16 × 0.17 / (6 × 4.61 GFLOPs of ViT-S/16 with GAP) images/s, for 24 h over 1,281,167 images.
        double ips = 989e12 * 0.17 / (6 * ModelCostFlops(recipe));
        Assert.Equal(ips, h100.ImagesPerSecond!.Value, 6);
        Assert.Equal(ips * 86400 / 1_281_167, h100.ExpectedEpochs!.Value, 6);
        Assert.False(h100.Measured);
        Assert.Contains("estimate", h100.Basis);
        // The track's own reference figure is unchanged by the table.
        Assert.Equal(CostEstimator.Estimate(recipe, ImageNet24h).ExpectedEpochs, estimate.ExpectedEpochs);
        Assert.Empty(CostEstimator.Estimate(recipe, ImageNet24h).PerGpu);
    }

    private static double ModelCostFlops(Recipe recipe) =>
        Leaderboard.Training.Models.ModelCost.Flops(Leaderboard.Training.Models.ModelResolver.Resolve(recipe.Model, 1000), 224);

    [Fact]
    public void A_class_without_bf16_says_so_instead_of_guessing()
    {
        var estimate = CostEstimator.Estimate(Parse(RecipeTemplates.PlainVitS16.Yaml), ImageNet24hGpu);
        var turing = estimate.PerGpu.Single(g => g.Gpu.StartsWith("RTX 5000", StringComparison.Ordinal));
        Assert.Null(turing.ExpectedEpochs);
        Assert.Contains("no bf16", turing.Basis);
        var fp16 = CostEstimator.Estimate(Parse(RecipeTemplates.PlainVitS16.Yaml.Replace("precision: bf16", "precision: fp16")), ImageNet24hGpu);
        Assert.True(fp16.PerGpu.Single(g => g.Gpu.StartsWith("RTX 5000", StringComparison.Ordinal)).ExpectedEpochs > 10);
    }

    [Fact]
    public void Measured_throughput_replaces_the_flop_estimate()
    {
        var recipe = Parse(RecipeTemplates.PlainVitS16.Yaml);
        string model = GpuClasses.ModelKey(Leaderboard.Training.Models.ModelResolver.Resolve(recipe.Model, 1000));
        var h100 = GpuClasses.All.Single(g => g.Name.StartsWith("H100", StringComparison.Ordinal));
        var measured = h100 with { Measured = [new MeasuredThroughput(model, 224, "bf16", 1024, 5000, "lb bench train, test figure")] };
        var estimate = CostEstimator.Estimate(recipe, ImageNet24hGpu, [measured]).PerGpu.Single();
        Assert.True(estimate.Measured);
        Assert.Equal(5000, estimate.ImagesPerSecond);
        Assert.Equal(5000.0 * 86400 / 1_281_167, estimate.ExpectedEpochs!.Value, 9);
        Assert.Equal("measured: lb bench train, test figure", estimate.Basis);
        // Another batch size is another measurement: back to the estimate.
        var otherBatch = CostEstimator.Estimate(recipe with { Training = recipe.Training with { BatchSize = 512 } }, ImageNet24hGpu, [measured]).PerGpu.Single();
        Assert.False(otherBatch.Measured);
    }

    [Theory]
    [InlineData("plain-vit-s16")]
    [InlineData("plain-vit-s16-curriculum")]
    public void The_plain_vit_templates_fit_their_epochs_per_gpu_class_and_track(string name)
    {
        var recipe = Parse(RecipeTemplates.Find(name)!.Yaml);
        var day = CostEstimator.Estimate(recipe, ImageNet24hGpu).PerGpu.Where(g => g.ExpectedEpochs is not null).ToList();
        var hour = CostEstimator.Estimate(recipe, ImageNet1hGpu).PerGpu.Where(g => g.ExpectedEpochs is not null).ToList();
        Assert.Equal(4, day.Count);
        Assert.All(day.Zip(hour), p => Assert.Equal(24, p.First.ExpectedEpochs!.Value / p.Second.ExpectedEpochs!.Value, 6));
        // An H100 runs Beyer et al.'s 300 epochs in a day by this estimate; an A100 about 200.
        Assert.InRange(day.Single(g => g.Gpu.StartsWith("H100", StringComparison.Ordinal)).ExpectedEpochs!.Value, 300, 2000);
        Assert.InRange(day.Single(g => g.Gpu.StartsWith("A100", StringComparison.Ordinal)).ExpectedEpochs!.Value, 150, 2000);
    }

    [Fact]
    public void The_curriculum_buys_the_plain_vit_more_epochs_where_the_gpu_not_the_data_pipeline_is_the_limit()
    {
        var plain = CostEstimator.Estimate(Parse(RecipeTemplates.PlainVitS16.Yaml), ImageNet24hGpu).PerGpu.ToDictionary(g => g.Gpu[..4]);
        var curriculum = CostEstimator.Estimate(Parse(RecipeTemplates.PlainVitS16Curriculum.Yaml), ImageNet24hGpu).PerGpu.ToDictionary(g => g.Gpu[..4]);
        // An A100 is compute-bound at 224 px (≈ 2.8k images/s), so the small sizes buy many epochs; an H100 already
        // trains 224 px at ≈ 6k images/s, close to the data pipeline's 8k, so they buy few.
        Assert.True(curriculum["A100"].ExpectedEpochs > 1.5 * plain["A100"].ExpectedEpochs, $"{curriculum["A100"].ExpectedEpochs} vs {plain["A100"].ExpectedEpochs}");
        Assert.InRange(curriculum["H100"].ExpectedEpochs!.Value / plain["H100"].ExpectedEpochs!.Value, 1.05, 1.5);
    }

    [Fact]
    public void A_distillation_teachers_forward_pass_counts_in_the_estimate()
    {
        var student = Parse("model: {distillation_token: true}\ndata: {image_size: 224}\ntraining: {distillation: {teacher_run: 5}}");
        var teacher = new ModelSpec { Variant = "small" };
        var alone = CostEstimator.Estimate(student, ImageNet24hGpu);
        var taught = CostEstimator.Estimate(student, ImageNet24hGpu, teacher: teacher);
        double fs = Leaderboard.Training.Models.ModelCost.Flops(Leaderboard.Training.Models.ModelResolver.Resolve(student.Model, 1000), 224);
        double ft = Leaderboard.Training.Models.ModelCost.Flops(Leaderboard.Training.Models.ModelResolver.Resolve(teacher, 1000), 224);
        // images/s = 200 TFLOP/s · 0.35 / (2 · (3 · student + teacher)): a DeiT-S teacher more than doubles a DeiT-Ti step.
        Assert.Equal(200e12 * 0.35 / (2 * (3 * fs + ft)), taught.ExpectedImagesPerSecond!.Value, 6);
        Assert.Equal((3 * fs + ft) / (3 * fs), alone.ExpectedEpochs!.Value / taught.ExpectedEpochs!.Value, 6);
        Assert.All(alone.PerGpu.Zip(taught.PerGpu).Where(p => p.First.ExpectedEpochs is not null),
            p => Assert.True(p.Second.ExpectedEpochs < p.First.ExpectedEpochs));
        Assert.Equal(alone.Gflops, taught.Gflops); // the student's own cost is what it is
    }

    [Fact]
    public void The_quick_cpu_template_fits_several_epochs_in_two_minutes()
    {
        var estimate = CostEstimator.Estimate(Parse(RecipeTemplates.TinyQuick.Yaml), SyntheticCpu);
        Assert.InRange(estimate.Params, 300_000, 700_000);
        Assert.InRange(estimate.ExpectedEpochs!.Value, 3, 100);
    }
}

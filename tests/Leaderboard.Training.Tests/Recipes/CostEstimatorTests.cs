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

    [Fact]
    public void The_quick_cpu_template_fits_several_epochs_in_two_minutes()
    {
        var estimate = CostEstimator.Estimate(Parse(RecipeTemplates.TinyQuick.Yaml), SyntheticCpu);
        Assert.InRange(estimate.Params, 300_000, 700_000);
        Assert.InRange(estimate.ExpectedEpochs!.Value, 3, 100);
    }
}

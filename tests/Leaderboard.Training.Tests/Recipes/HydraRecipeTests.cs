using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

/// <summary>HydraViT's recipe section (Haberer et al. 2024): parsed, validated, hashed without disturbing old recipes, and costed per sub-network.</summary>
public class HydraRecipeTests
{
    private static readonly TrackInfo ImageNet24h = new(1000, 1_281_167, 24 * 3600, 200);

    private static Recipe Parse(string yaml) => RecipeParser.Parse(yaml).Recipe!;

    [Fact]
    public void The_sub_networks_of_a_deit_b_shaped_model_are_the_deits_of_their_width()
    {
        var estimate = CostEstimator.Estimate(Parse("model: {variant: base, hydra: {min_heads: 3}}\ndata: {image_size: 224}"), ImageNet24h);
        Assert.Equal(Enumerable.Range(3, 10), estimate.PerHeads.Select(h => h.Heads));
        var tiny = estimate.PerHeads[0];
        Assert.Equal(5_717_416, tiny.Params); // DeiT-Ti (192 x 12 x 3)
        Assert.Equal(1.2584112, tiny.Gflops, 6);
        var small = estimate.PerHeads[3];
        var deitS = ModelCost.Count(ModelResolver.Resolve(new ModelSpec { Variant = "small" }, 1000), 224);
        Assert.Equal((deitS.Params, deitS.Flops / 1e9), (small.Params, small.Gflops));
        Assert.Equal(estimate.Params, estimate.PerHeads[^1].Params);
        Assert.All(estimate.PerHeads, h => Assert.Equal(0.1, h.Probability, 12));
        // A step trains one sampled sub-network: the expected throughput follows the mean forward cost, not the full model's.
        double meanGflops = estimate.PerHeads.Average(h => h.Gflops);
        Assert.Equal(200e12 * 0.35 / (6 * meanGflops * 1e9), estimate.ExpectedImagesPerSecond!.Value, 3);
    }

    [Fact]
    public void Weighted_sampling_probabilities_follow_the_weights()
    {
        var estimate = CostEstimator.Estimate(Parse("model: {variant: tiny, hydra: {min_heads: 1, sampling: weighted, weights: [1, 1, 2]}}"),
            new TrackInfo(10, 3000, 120, 0.2));
        Assert.Equal([0.25, 0.25, 0.5], estimate.PerHeads.Select(h => h.Probability));
    }

    [Fact]
    public void A_recipe_without_hydra_keeps_its_canonical_form_and_one_with_it_round_trips()
    {
        var plain = Parse("model: {variant: tiny}");
        Assert.DoesNotContain("hydra", RecipeCanonical.ToCanonicalJson(plain));
        var hydra = Parse("model: {variant: tiny, hydra: {min_heads: 2, sampling: weighted, weights: [1, 3]}}");
        string json = RecipeCanonical.ToCanonicalJson(hydra);
        Assert.Contains("\"hydra\":{\"min_heads\":2,\"max_heads\":null,\"sampling\":\"weighted\",\"weights\":[1,3]}", json);
        Assert.Equal(RecipeCanonical.Normalize(hydra), Parse(json));
        Assert.NotEqual(RecipeCanonical.Hash(plain), RecipeCanonical.Hash(hydra));
    }

    [Theory]
    [InlineData("model: {variant: tiny, hydra: {min_heads: 4}}", "model.hydra.min_heads", "between 1 and the model's 3 heads")]
    [InlineData("model: {variant: tiny, hydra: {min_heads: 2, max_heads: 1}}", "model.hydra.max_heads", "between min_heads 2 and the model's 3 heads")]
    [InlineData("model: {variant: tiny, hydra: {sampling: linear}}", "model.hydra.sampling", "not one of: uniform, weighted")]
    [InlineData("model: {variant: tiny, hydra: {sampling: weighted, weights: [1, 2]}}", "model.hydra.weights", "one weight per head count from 1 to 3 (3 numbers), got 2")]
    [InlineData("model: {variant: tiny, hydra: {sampling: weighted, weights: [0, 0, 0]}}", "model.hydra.weights", "at least one above 0")]
    [InlineData("model: {variant: tiny, hydra: {weights: [1, 1, 1]}}", "model.hydra.weights", "only used by sampling: weighted")]
    [InlineData("model: {variant: tiny, ffn: locality, hydra: {}}", "model.ffn", "HydraViT slices the plain ViT")]
    [InlineData("model: {variant: tiny, distillation_token: true, hydra: {}}", "model.distillation_token", "not available with model.hydra")]
    [InlineData("model: {variant: custom, embed_dim: 12, depth: 2, heads: 3, pos_embed: sincos2d, hydra: {}}", "model.hydra.min_heads", "multiple of 4 of at least 8")]
    public void Invalid_hydra_sections_name_the_field(string yaml, string path, string message)
    {
        var result = RecipeLoader.Load(yaml, TrackRules.ImageNet1k);
        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }
}

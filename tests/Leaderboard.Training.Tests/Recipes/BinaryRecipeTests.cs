using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

/// <summary>The model.binary section (BinaryViT, Le &amp; Li 2023): parsing, canonical form, validation.</summary>
public class BinaryRecipeTests
{
    private const string Binary = """
        model:
          variant: custom
          embed_dim: 32
          heads: 1
          patch_size: 4
          pooling: gap
          binary:
            depths: [1, 1, 2]
        data: {image_size: 32}
        """;

    private static Recipe Parse(string yaml) => RecipeParser.Parse(yaml).Recipe!;

    private static IReadOnlyList<RecipeError> Errors(string yaml) => RecipeLoader.Load(yaml, TrackRules.SyntheticCpu).Errors;

    [Fact]
    public void Binary_section_round_trips_through_the_canonical_form_and_counts_in_the_hash()
    {
        var recipe = Parse(Binary);
        Assert.Equal("1,1,2", string.Join(",", recipe.Model.Binary!.Depths));
        Assert.Equal("3,5", string.Join(",", recipe.Model.Binary.PoolKernels));
        string json = RecipeCanonical.ToCanonicalJson(recipe);
        Assert.Contains("\"binary\":{\"depths\":[1,1,2],\"pool_kernels\":[3,5],\"full_precision_downsample\":false,\"affine_init\":0.1}", json);
        Assert.Equal(RecipeCanonical.Normalize(recipe), Parse(json));
        Assert.Equal(RecipeCanonical.Normalize(recipe), Parse(RecipeCanonical.ToYaml(recipe)));
        var other = recipe with { Model = recipe.Model with { Binary = recipe.Model.Binary with { Depths = [1, 1, 3] } } };
        Assert.NotEqual(RecipeCanonical.Hash(recipe), RecipeCanonical.Hash(other));

        // A recipe without it keeps the form it had before the option existed.
        Assert.DoesNotContain("binary", RecipeCanonical.ToCanonicalJson(Parse("model: {variant: small}")));
        Assert.Equal(RecipeCanonical.Hash(Parse("model: {variant: small}")), RecipeCanonical.Hash(Parse("model: {variant: small, binary: null}")));
    }

    [Fact]
    public void A_binary_model_resolves_its_depth_from_the_stages()
    {
        Assert.Empty(Errors(Binary));
        var config = ModelResolver.Resolve(Parse(Binary).Model, 10);
        Assert.Equal(4, config.Depth);
        Assert.Equal("1,1,2", string.Join(",", config.Binary!.Depths));
        Assert.Equal(128, BinaryConfig.StageWidth(config, 2));
        Assert.Equal(4, BinaryConfig.StageHeads(config, 2));
    }

    [Theory]
    [InlineData("pooling: gap", "pooling: cls", "model.pooling", "set pooling: gap")]
    [InlineData("depths: [1, 1, 2]", "depths: [1, 1.5, 2]", "model.binary.depths[1]", "whole number")]
    [InlineData("depths: [1, 1, 2]", "depths: []", "model.binary.depths", "give 1 to 5 stages")]
    [InlineData("depths: [1, 1, 2]", "depths: [1, 1, 2]\n    pool_kernels: [3, 4]", "model.binary.pool_kernels[1]", "odd kernel size")]
    [InlineData("heads: 1", "heads: 1\n  depth: 4", "model.depth", "set by model.binary.depths")]
    [InlineData("heads: 1", "heads: 1\n  ffn: locality", "model.ffn", "not available with model.binary")]
    [InlineData("heads: 1", "heads: 1\n  distillation_token: true", "model.distillation_token", "not available with model.binary")]
    [InlineData("image_size: 32", "image_size: 24", "data.image_size", "multiple of 16")]
    public void Invalid_binary_recipes_get_field_errors(string from, string to, string path, string message)
    {
        var errors = Errors(Binary.Replace(from, to));
        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message));
    }
}

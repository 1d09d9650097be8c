using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

/// <summary>Budgeted training's stage plan (Xia et al. 2023): active counts follow the stages and the plan fits the budget.</summary>
public class BudgetedPlanTests
{
    private const string Yaml = """
        model: {variant: small, patch_size: 16}
        training:
          budgeted: {relative_cost: 0.5, heads: [2, 4, 6], mlp_ratio: [1, 2, 4], image_size: [160, 192, 224]}
        data: {image_size: 224}
        """;

    private static Recipe Parse(string yaml, TrackRules? rules = null)
    {
        var result = RecipeLoader.Load(yaml, rules ?? TrackRules.ImageNet1k);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
        return result.Recipe!;
    }

    private static BudgetedPlan Plan(string yaml = Yaml) => BudgetedPlan.FromRecipe(Parse(yaml), 1000)!;

    [Fact]
    public void Each_stage_has_the_counts_it_lists_and_the_last_is_the_full_model()
    {
        var plan = Plan();
        Assert.Equal([2, 4, 6], plan.Stages.Select(s => s.Heads));
        Assert.Equal([384, 768, 1536], plan.Stages.Select(s => s.MlpHidden));
        Assert.Equal([160, 192, 224], plan.Stages.Select(s => s.ImageSize));
        var full = ModelResolver.Resolve(new ModelSpec { Variant = "small" }, 1000);
        Assert.Equal(ModelCost.Flops(full, 224), plan.Stages[^1].Flops);
        Assert.Equal(1, plan.Stages[^1].RelativeCost, 12);
        Assert.True(plan.Stages[0].RelativeCost < plan.Stages[1].RelativeCost && plan.Stages[1].RelativeCost < 1);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    public void The_stages_cost_exactly_the_budget_and_fill_the_run(double budget)
    {
        var plan = Plan(Yaml.Replace("relative_cost: 0.5", $"relative_cost: {budget}"));
        Assert.Equal(1, plan.Stages.Sum(s => s.ImageShare), 9);
        Assert.Equal(budget, plan.Stages.Sum(s => s.ImageShare * s.RelativeCost), 9);
        Assert.Equal(1, plan.Stages.Sum(s => s.TimeShare), 9);
        Assert.Equal(budget * plan.Stages[^1].Flops, plan.AverageFlops, 0);
        Assert.All(plan.Stages, s => Assert.True(s.ImageShare > 0));
        Assert.Equal(0, plan.Stages[0].Start);
        Assert.Equal(1, plan.Stages[^1].End);
        for (int i = 1; i < plan.Stages.Count; i++) Assert.Equal(plan.Stages[i - 1].End, plan.Stages[i].Start);
    }

    [Fact]
    public void A_smaller_budget_stays_longer_at_the_cheap_levels()
    {
        var small = Plan(Yaml.Replace("relative_cost: 0.5", "relative_cost: 0.3"));
        var large = Plan(Yaml.Replace("relative_cost: 0.5", "relative_cost: 0.75"));
        Assert.True(small.Stages[0].ImageShare > large.Stages[0].ImageShare);
        Assert.True(small.Stages[0].TimeShare > large.Stages[0].TimeShare);
        Assert.True(small.Stages[^1].Start > large.Stages[^1].Start);
        // With a small budget the cheap stage takes more images than the full one; with a large one, fewer.
        Assert.True(small.Stages[0].ImageShare > small.Stages[^1].ImageShare);
        Assert.True(large.Stages[0].ImageShare < large.Stages[^1].ImageShare);
    }

    [Fact]
    public void The_stage_at_a_progress_follows_the_plan()
    {
        var plan = Plan();
        Assert.Equal(2, plan.At(0).Heads);
        Assert.Equal(2, plan.At(plan.Stages[0].End - 1e-9).Heads);
        Assert.Equal(4, plan.At(plan.Stages[1].Start).Heads);
        Assert.Equal(6, plan.At(plan.Stages[2].Start + 1e-9).Heads);
        Assert.Equal(6, plan.At(1).Heads);
        Assert.Equal(6, plan.At(1.2).Heads);
    }

    [Fact]
    public void Over_epochs_the_stages_are_placed_by_their_share_of_the_images()
    {
        var budget = Plan();
        var epochs = Plan(Yaml + "\nschedule: {over: epochs, epochs: 30, warmup: 1}\n");
        Assert.Equal("budget", budget.Unit);
        Assert.Equal("epochs", epochs.Unit);
        Assert.Equal(budget.Stages[0].TimeShare, budget.Stages[0].End, 12);
        Assert.Equal(epochs.Stages[0].ImageShare, epochs.Stages[0].End, 12);
    }

    [Fact]
    public void Empty_lists_keep_that_part_full()
    {
        var plan = Plan("model: {variant: tiny}\ntraining: {budgeted: {relative_cost: 0.8, heads: [1, 3]}}\ndata: {image_size: 224}");
        Assert.Equal([1, 3], plan.Stages.Select(s => s.Heads));
        Assert.All(plan.Stages, s => Assert.Equal(768, s.MlpHidden));
        Assert.All(plan.Stages, s => Assert.Equal(224, s.ImageSize));
    }

    [Fact]
    public void A_recipe_without_the_section_has_no_plan()
    {
        Assert.Null(BudgetedPlan.FromRecipe(new Recipe(), 10));
    }

    [Theory]
    [InlineData("relative_cost: 1, heads: [2, 4, 6]", "training.budgeted.relative_cost", "strictly between 0 and 1")]
    [InlineData("heads: [6]", "training.budgeted", "give at least two stages")]
    [InlineData("relative_cost: 0.5", "training.budgeted", "give at least two stages")]
    [InlineData("heads: [2, 4, 6], mlp_ratio: [2, 4]", "training.budgeted.mlp_ratio", "has 2 stages but another list has 3")]
    [InlineData("heads: [4, 2, 6]", "training.budgeted.heads[1]", "stages grow: 2 is less than the stage before (4)")]
    [InlineData("heads: [2, 4]", "training.budgeted.heads[1]", "the last stage trains the full model: make it model.heads (6)")]
    [InlineData("heads: [0, 6]", "training.budgeted.heads[0]", "whole number between 1 and model.heads (6)")]
    [InlineData("heads: [2.5, 6]", "training.budgeted.heads[0]", "whole number between 1 and model.heads (6)")]
    [InlineData("mlp_ratio: [1, 2]", "training.budgeted.mlp_ratio[1]", "make it model.mlp_ratio (4)")]
    [InlineData("mlp_ratio: [0, 4]", "training.budgeted.mlp_ratio[0]", "more than 0 and at most model.mlp_ratio (4)")]
    [InlineData("image_size: [100, 224]", "training.budgeted.image_size[0]", "whole multiple of model.patch_size (16)")]
    [InlineData("image_size: [160, 192]", "training.budgeted.image_size[1]", "make it data.image_size (224)")]
    [InlineData("relative_cost: 0.1, heads: [2, 4, 6], mlp_ratio: [1, 2, 4], image_size: [160, 192, 224]", "training.budgeted.relative_cost", "the first stage alone costs 0.144 of the full model")]
    [InlineData("heads: [6, 6]", "training.budgeted", "the first stage is already the full model")]
    public void Invalid_plans_get_field_errors(string section, string path, string message)
    {
        var result = RecipeLoader.Load($"model: {{variant: small}}\ntraining: {{budgeted: {{{section}}}}}\ndata: {{image_size: 224}}", TrackRules.ImageNet1k);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Budgeted_training_grows_the_tokens_itself_and_slices_no_localvit_ffn()
    {
        var curriculum = RecipeLoader.Load("training: {budgeted: {heads: [1, 3]}}\ndata: {image_size: 64, curriculum: {start: 32, step: 32, every: 0.3}}", TrackRules.ImageNet1k);
        Assert.Contains(curriculum.Errors, e => e.Path == "data.curriculum" && e.Message.Contains("training.budgeted.image_size"));
        var localvit = RecipeLoader.Load("model: {ffn: localvit}\ntraining: {budgeted: {heads: [1, 3]}}", TrackRules.ImageNet1k);
        Assert.Contains(localvit.Errors, e => e.Path == "model.ffn" && e.Message.Contains("use ffn mlp or locality"));
    }

    [Fact]
    public void The_section_is_in_the_canonical_form_only_when_set_and_round_trips()
    {
        string old = "model: {variant: small}\nseed: 3";
        string stated = "model: {variant: small}\ntraining: {budgeted: null}\nseed: 3";
        Assert.Equal(RecipeCanonical.Hash(Parse(old)), RecipeCanonical.Hash(Parse(stated)));
        Assert.DoesNotContain("budgeted", RecipeCanonical.ToCanonicalJson(Parse(old)));

        var recipe = Parse(Yaml);
        string json = RecipeCanonical.ToCanonicalJson(recipe);
        Assert.Contains("\"budgeted\":{\"relative_cost\":0.5,\"heads\":[2,4,6],\"mlp_ratio\":[1,2,4],\"image_size\":[160,192,224]}", json);
        Assert.Equal(recipe, Parse(json));
        Assert.Equal(recipe, Parse(RecipeCanonical.ToYaml(recipe)));
        Assert.NotEqual(RecipeCanonical.Hash(recipe), RecipeCanonical.Hash(Parse(Yaml.Replace("0.5", "0.6"))));
    }

    [Fact]
    public void The_estimate_follows_the_stages()
    {
        var recipe = Parse(Yaml);
        var track = new TrackInfo(1000, 1_281_167, 86_400, 100, Utilisation: 0.35);
        var estimate = CostEstimator.Estimate(recipe, track);
        var plan = BudgetedPlan.FromRecipe(recipe, 1000)!;
        Assert.Equal(3, estimate.PerSize.Count);
        Assert.Equal([2, 4, 6], estimate.PerSize.Select(s => s.Heads!.Value));
        Assert.Equal(plan.Stages.Select(s => s.Flops / 1e9), estimate.PerSize.Select(s => s.Gflops));
        Assert.Equal(plan.Stages.Select(s => s.TimeShare), estimate.PerSize.Select(s => s.BudgetFraction!.Value));
        Assert.Equal(plan.AverageFlops / 1e9, estimate.AverageGflops!.Value, 9);
        Assert.Equal(plan.Stages[^1].Flops / 1e9, estimate.Gflops);

        // Half the cost per image: about twice the epochs of the full model in the same budget.
        var full = CostEstimator.Estimate(recipe with { Training = recipe.Training with { Budgeted = null } }, track);
        Assert.Equal(2, estimate.ExpectedEpochs!.Value / full.ExpectedEpochs!.Value, 6);
        Assert.Null(full.AverageGflops);
    }
}

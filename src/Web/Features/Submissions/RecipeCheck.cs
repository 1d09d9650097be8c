using Leaderboard.Data.Entities;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Web.Features.Submissions;

/// <summary>A recipe checked against a track: parsed, validated and priced, or the field-level errors.</summary>
public sealed record RecipeCheck(Recipe? Recipe, CostEstimate? Estimate, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Recipe is not null && Errors.Count == 0;

    /// <summary>Error key for a problem with the recipe as a whole (e.g. malformed YAML).</summary>
    public const string WholeRecipeKey = "recipe";

    public static RecipeCheck Run(Track track, string? text)
    {
        var parsed = RecipeParser.Parse(text);
        if (parsed.Recipe is not { } recipe) return new(null, null, ToDictionary(parsed.Errors));
        var errors = RecipeValidator.Validate(recipe, RulesOf(track));
        if (errors.Count > 0) return new(recipe, null, ToDictionary(errors));
        var estimate = CostEstimator.Estimate(recipe, TrackInfoOf(track));
        return new(recipe, estimate, new Dictionary<string, string[]>());
    }

    public static TrackInfo TrackInfoOf(Track track) =>
        new(track.NumClasses, track.TrainImages, track.BudgetSeconds, track.ReferenceTflops, Gpu: track.Hardware == "gpu");

    public static TrackRules RulesOf(Track track) => new(track.NumClasses, track.MaxImageSize, Gpu: track.Hardware == "gpu");

    private static Dictionary<string, string[]> ToDictionary(IEnumerable<RecipeError> errors) =>
        errors.GroupBy(e => e.Path.Length == 0 ? WholeRecipeKey : e.Path)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
}

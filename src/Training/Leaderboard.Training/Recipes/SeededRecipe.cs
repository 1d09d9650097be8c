using System.Text.Json;

namespace Leaderboard.Training.Recipes;

/// <summary>
/// What one seed run of a submission trains: the stored recipe with its seed set to the run's. A submission of n seeds
/// runs its recipe's seed, seed + 1, …, seed + n − 1, so each run's canonical form and hash are those of the recipe it
/// really trained (the first seed's equal the submission's).
/// </summary>
public sealed record SeededRecipe(Recipe Recipe, string Canonical, string Hash)
{
    public static SeededRecipe Of(string storedCanonical, long seed)
    {
        var parsed = RecipeParser.Parse(storedCanonical).Recipe
            ?? throw new JsonException("The stored canonical recipe no longer parses.");
        var recipe = parsed with { Seed = seed };
        return new SeededRecipe(recipe, RecipeCanonical.ToCanonicalJson(recipe), RecipeCanonical.Hash(recipe));
    }
}

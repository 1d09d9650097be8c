using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

/// <summary>A seed run trains the stored recipe with its own seed, and its hash is that recipe's.</summary>
public sealed class SeededRecipeTests
{
    private static readonly Recipe TinyQuick = RecipeParser.Parse(RecipeTemplates.TinyQuick.Yaml).Recipe!;

    [Fact]
    public void The_recipes_own_seed_keeps_the_submissions_canonical_form_and_hash()
    {
        var seeded = SeededRecipe.Of(RecipeCanonical.ToCanonicalJson(TinyQuick), TinyQuick.Seed);

        Assert.Equal(RecipeCanonical.ToCanonicalJson(TinyQuick), seeded.Canonical);
        Assert.Equal(RecipeCanonical.Hash(TinyQuick), seeded.Hash);
    }

    [Fact]
    public void Another_seed_changes_only_the_seed_and_hashes_the_recipe_it_trains()
    {
        var seeded = SeededRecipe.Of(RecipeCanonical.ToCanonicalJson(TinyQuick), TinyQuick.Seed + 2);

        Assert.Equal(TinyQuick with { Seed = TinyQuick.Seed + 2 }, seeded.Recipe, RecipeComparer);
        Assert.Equal(RecipeCanonical.Hash(TinyQuick with { Seed = TinyQuick.Seed + 2 }), seeded.Hash);
        Assert.NotEqual(RecipeCanonical.Hash(TinyQuick), seeded.Hash);
        Assert.Equal(TinyQuick.Seed + 2, RecipeParser.Parse(seeded.Canonical).Recipe!.Seed);
    }

    /// <summary>Records with arrays compare by reference: compare canonical forms.</summary>
    private static readonly IEqualityComparer<Recipe> RecipeComparer = EqualityComparer<Recipe>.Create(
        (a, b) => RecipeCanonical.ToCanonicalJson(a!) == RecipeCanonical.ToCanonicalJson(b!), r => RecipeCanonical.ToCanonicalJson(r).GetHashCode());
}

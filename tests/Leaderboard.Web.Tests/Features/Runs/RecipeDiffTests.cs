using Leaderboard.Training.Recipes;
using Leaderboard.Web.Features.Runs;

namespace Leaderboard.Web.Tests.Features.Runs;

public sealed class RecipeDiffTests
{
    private static string Canonical(string yaml) => RecipeCanonical.ToCanonicalJson(RecipeParser.Parse(yaml).Recipe!);

    [Fact]
    public void A_recipe_is_compared_with_the_template_it_differs_least_from()
    {
        var text = RecipeTemplates.TinyQuick.Yaml.Replace("seed: 0", "seed: 7", StringComparison.Ordinal);

        var diff = RecipeDiff.AgainstNearestTemplate(Canonical(text), RecipeTemplates.All)!;

        Assert.Equal(RecipeTemplates.TinyQuick.Name, diff.Template.Name);
        Assert.Equal([new RecipeChange("seed", "0", "7")], diff.Changes);
    }

    [Fact]
    public void A_template_as_it_is_has_no_changes_whatever_its_formatting()
    {
        var diff = RecipeDiff.AgainstNearestTemplate(Canonical(RecipeTemplates.LocalityCurriculum.Yaml), RecipeTemplates.All)!;

        Assert.Equal(RecipeTemplates.LocalityCurriculum.Name, diff.Template.Name);
        Assert.Empty(diff.Changes);
    }

    [Fact]
    public void A_field_switched_off_or_added_shows_on_its_side_only()
    {
        var withEma = RecipeTemplates.DeitTinyBaseline.Yaml.Replace("  label_smoothing: 0.1", "  label_smoothing: 0.1\n  ema: 0.9998", StringComparison.Ordinal);

        var diff = RecipeDiff.AgainstNearestTemplate(Canonical(withEma), [RecipeTemplates.DeitTinyBaseline])!;

        var change = Assert.Single(diff.Changes);
        Assert.Equal(new RecipeChange("training.ema", null, "0.9998"), change);
    }
}

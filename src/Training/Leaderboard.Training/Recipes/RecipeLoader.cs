namespace Leaderboard.Training.Recipes;

/// <summary>What the API and the web form call: parse and validate a recipe in one step.</summary>
public static class RecipeLoader
{
    /// <summary>
    /// Parses <paramref name="text"/> (YAML or JSON) and validates it against the track's rules. When the text parses,
    /// <see cref="RecipeParseResult.Recipe"/> is set even if validation found errors; <see cref="RecipeParseResult.IsValid"/>
    /// is true only with no errors at all.
    /// </summary>
    public static RecipeParseResult Load(string? text, TrackRules rules)
    {
        var parsed = RecipeParser.Parse(text);
        return parsed.Recipe is null ? parsed : parsed with { Errors = RecipeValidator.Validate(parsed.Recipe, rules) };
    }
}

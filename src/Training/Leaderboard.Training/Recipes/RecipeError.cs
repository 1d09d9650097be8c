namespace Leaderboard.Training.Recipes;

/// <summary>
/// One problem with a recipe. <see cref="Path"/> is the dotted snake_case path of the field (e.g. <c>model.embed_dim</c>,
/// <c>schedule.milestones[1]</c>); empty for the document as a whole. <see cref="Line"/>/<see cref="Column"/> (1-based) are
/// set when the error comes from the parser and the text position is known.
/// </summary>
public sealed record RecipeError(string Path, string Message, int? Line = null, int? Column = null)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}

/// <summary>
/// Outcome of <see cref="RecipeParser.Parse"/> or <see cref="RecipeLoader.Load"/>. <see cref="Recipe"/> is null when the
/// text could not be read into a recipe; after <see cref="RecipeLoader.Load"/> it is set even when validation found
/// errors (so the caller can still show a cost estimate or the canonical form). Check <see cref="IsValid"/>.
/// </summary>
public sealed record RecipeParseResult(Recipe? Recipe, IReadOnlyList<RecipeError> Errors)
{
    public bool IsValid => Recipe is not null && Errors.Count == 0;

    public static RecipeParseResult Failed(params RecipeError[] errors) => new(null, errors);
}

namespace Leaderboard.Training.Recipes.Parsing;

/// <summary>
/// The document tree a recipe is read into, from YAML or JSON alike, so binding and error paths are the same for both.
/// Positions are 1-based.
/// </summary>
internal abstract record RecipeNode(int Line, int Column)
{
    /// <summary>What the node is, in the words an error message uses ("a mapping", "the string \"64\"").</summary>
    public abstract string Describe();
}

internal sealed record MappingNode(IReadOnlyList<(ScalarNode Key, RecipeNode Value)> Entries, int Line, int Column)
    : RecipeNode(Line, Column)
{
    public override string Describe() => "a mapping";
}

internal sealed record SequenceNode(IReadOnlyList<RecipeNode> Items, int Line, int Column) : RecipeNode(Line, Column)
{
    public override string Describe() => "a list";
}

/// <summary>How a scalar was written: YAML plain scalars are typed by their text; quoted ones and JSON strings are strings.</summary>
internal enum ScalarKind
{
    Plain,
    String,
    Number,
    Bool,
    Null,
}

internal sealed record ScalarNode(string Value, ScalarKind Kind, int Line, int Column) : RecipeNode(Line, Column)
{
    public bool IsNull => Kind == ScalarKind.Null
        || (Kind == ScalarKind.Plain && Value is "" or "~" or "null" or "Null" or "NULL");

    public override string Describe() => IsNull ? "null" : Kind switch
    {
        ScalarKind.String => $"the string \"{Value}\"",
        _ => $"'{Value}'",
    };
}

/// <summary>A document that could not be read: the message names the position.</summary>
internal sealed class RecipeSyntaxException(string message, int? line, int? column) : Exception(message)
{
    public int? Line { get; } = line;
    public int? Column { get; } = column;
}

using Leaderboard.Training.Recipes.Parsing;

namespace Leaderboard.Training.Recipes;

/// <summary>
/// Reads a recipe from YAML or JSON text (snake_case keys mirroring <see cref="Recipe"/>'s properties; every section and
/// field optional). Text whose first non-blank character is <c>{</c> is read as JSON (comments and trailing commas
/// tolerated), falling back to YAML flow syntax; anything else as YAML. Errors carry the field's path: malformed text
/// (path "", with line and column), unknown fields (with the closest known name), values of the wrong type, duplicate
/// fields, an empty document. Only the shape is checked here; <see cref="RecipeValidator"/> checks the values.
/// </summary>
public static class RecipeParser
{
    /// <summary>Texts longer than this are refused (a recipe is a few dozen lines).</summary>
    public const int MaxLength = 64 * 1024;

    public static RecipeParseResult Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return RecipeParseResult.Failed(new RecipeError("", "the recipe is empty; give at least one section, e.g. \"model:\\n  variant: tiny\""));
        if (text.Length > MaxLength)
            return RecipeParseResult.Failed(new RecipeError("", $"the recipe is {text.Length} characters long; at most {MaxLength} are accepted"));

        RecipeNode? root;
        try
        {
            root = ReadTree(text);
        }
        catch (RecipeSyntaxException e)
        {
            return RecipeParseResult.Failed(new RecipeError("", e.Message, e.Line, e.Column));
        }

        if (root is null || Binder.IsNull(root) || root is MappingNode { Entries.Count: 0 })
            return RecipeParseResult.Failed(new RecipeError("", "the recipe is empty; give at least one section, e.g. \"model:\\n  variant: tiny\"",
                root?.Line, root?.Column));
        if (root is not MappingNode mapping)
            return RecipeParseResult.Failed(new RecipeError("",
                $"a recipe is a mapping of sections (model, optimizer, schedule, training, data, evaluation, seed), got {root.Describe()}",
                root.Line, root.Column));

        var binder = new Binder();
        var recipe = RecipeSchema.Root.Bind(new Recipe(), mapping, "", binder);
        return binder.Errors.Count == 0 ? new RecipeParseResult(recipe, []) : new RecipeParseResult(null, binder.Errors);
    }

    /// <summary>The dotted path of every field a recipe may set, in canonical order (e.g. <c>data.curriculum.start</c>).</summary>
    public static IReadOnlyList<string> FieldPaths => RecipeSchema.AllPaths;

    /// <summary>
    /// The recipe format as a JSON Schema (draft 2020-12) document, for publishing (editors, API clients): every field with
    /// its type, allowed names and default. Ranges and cross-field rules are <see cref="RecipeValidator"/>'s.
    /// </summary>
    public static string JsonSchema => LazyJsonSchema.Value;

    private static readonly Lazy<string> LazyJsonSchema = new(JsonSchemaWriter.Write);

    private static RecipeNode? ReadTree(string text)
    {
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                return JsonTreeReader.Read(text);
            }
            catch (RecipeSyntaxException jsonError)
            {
                // YAML flow mappings ({model: {depth: 6}}) start with '{' too; if YAML reads it, it was YAML.
                try
                {
                    return YamlTreeReader.Read(text);
                }
                catch (RecipeSyntaxException)
                {
                    throw jsonError;
                }
            }
        }
        return YamlTreeReader.Read(text);
    }
}

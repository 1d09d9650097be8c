using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Cli;

/// <summary>
/// Reads a recipe file (or a platform template, named <c>template:NAME</c>) and validates it; invalid recipes fail with
/// every field error on one line.
/// </summary>
public static class RecipeFiles
{
    public const string TemplatePrefix = "template:";

    public static Recipe Load(string path, TrackRules? rules = null)
    {
        var parsed = RecipeParser.Parse(ReadText(path));
        var errors = parsed.Errors;
        if (parsed.Recipe is not null && rules is not null) errors = RecipeValidator.Validate(parsed.Recipe, rules);
        if (parsed.Recipe is null || errors.Count > 0)
            throw new CommandFailedException($"recipe '{path}' is invalid: " + string.Join("; ", errors.Select(Describe)));
        return parsed.Recipe;
    }

    private static string ReadText(string path)
    {
        if (path.StartsWith(TemplatePrefix, StringComparison.Ordinal))
        {
            var name = path[TemplatePrefix.Length..];
            return RecipeTemplates.Find(name)?.Yaml
                ?? throw new CommandFailedException($"no template '{name}'; templates: {string.Join(", ", RecipeTemplates.All.Select(t => t.Name))}");
        }
        return File.Exists(path) ? File.ReadAllText(path)
            : throw new CommandFailedException($"recipe file '{Path.GetFullPath(path)}' does not exist");
    }

    private static string Describe(RecipeError e) =>
        e.Line is int line ? $"{e} (line {line}{(e.Column is int col ? $", column {col}" : "")})" : e.ToString();
}

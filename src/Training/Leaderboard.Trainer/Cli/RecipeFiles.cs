using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Cli;

/// <summary>Reads a recipe file and validates it; invalid recipes fail with every field error on one line.</summary>
public static class RecipeFiles
{
    public static Recipe Load(string path, TrackRules? rules = null)
    {
        if (!File.Exists(path)) throw new CommandFailedException($"recipe file '{Path.GetFullPath(path)}' does not exist");
        var parsed = RecipeParser.Parse(File.ReadAllText(path));
        var errors = parsed.Errors;
        if (parsed.Recipe is not null && rules is not null) errors = RecipeValidator.Validate(parsed.Recipe, rules);
        if (parsed.Recipe is null || errors.Count > 0)
            throw new CommandFailedException($"recipe '{path}' is invalid: " + string.Join("; ", errors.Select(Describe)));
        return parsed.Recipe;
    }

    private static string Describe(RecipeError e) =>
        e.Line is int line ? $"{e} (line {line}{(e.Column is int col ? $", column {col}" : "")})" : e.ToString();
}

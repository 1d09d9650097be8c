using System.Text.Json;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Web.Features.Runs;

/// <summary>A field whose value differs from the template's (null: the side leaves the field off).</summary>
public sealed record RecipeChange(string Path, string? TemplateValue, string? RecipeValue);

/// <summary>
/// A recipe against the template it came from. Submissions do not record their template, so it is the offered template
/// whose canonical form differs from the recipe's in the fewest fields (ties: the first offered); comparing canonical
/// forms ignores format, key order, comments and defaults stated explicitly.
/// </summary>
public sealed record RecipeDiff(RecipeTemplate Template, IReadOnlyList<RecipeChange> Changes)
{
    public static RecipeDiff? AgainstNearestTemplate(string recipeCanonicalJson, IEnumerable<RecipeTemplate> templates)
    {
        var recipe = Flatten(recipeCanonicalJson);
        RecipeDiff? best = null;
        foreach (var template in templates)
        {
            if (RecipeParser.Parse(template.Yaml).Recipe is not { } parsed) continue;
            var changes = Compare(Flatten(RecipeCanonical.ToCanonicalJson(parsed)), recipe);
            if (best is null || changes.Count < best.Changes.Count) best = new RecipeDiff(template, changes);
        }
        return best;
    }

    private static List<RecipeChange> Compare(Dictionary<string, string> template, Dictionary<string, string> recipe) =>
        template.Keys.Union(recipe.Keys)
            .Select(path => new RecipeChange(path, template.GetValueOrDefault(path), recipe.GetValueOrDefault(path)))
            .Where(c => c.TemplateValue != c.RecipeValue)
            .ToList();

    /// <summary>Dotted path → JSON text of each leaf (null leaves are left out: the field is off).</summary>
    private static Dictionary<string, string> Flatten(string json)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement, "");
        return leaves;

        void Walk(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject()) Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
                    break;
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.String:
                    leaves[path] = element.GetString()!;
                    break;
                // Stored recipes come back from jsonb, which writes numbers its own way (1e-08 → 0.00000001).
                case JsonValueKind.Number:
                    leaves[path] = element.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    leaves[path] = element.GetRawText();
                    break;
            }
        }
    }
}

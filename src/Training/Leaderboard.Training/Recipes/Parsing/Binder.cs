using System.Globalization;

namespace Leaderboard.Training.Recipes.Parsing;

/// <summary>Reads typed values out of nodes, recording an error at the field's path when a value has the wrong type.</summary>
internal sealed class Binder
{
    public List<RecipeError> Errors { get; } = [];

    public void Error(string path, string message, RecipeNode? at = null) =>
        Errors.Add(new RecipeError(path, message, at?.Line, at?.Column));

    private bool Scalar(RecipeNode node, string path, string expected, out ScalarNode scalar)
    {
        if (node is ScalarNode s && !s.IsNull)
        {
            scalar = s;
            return true;
        }
        scalar = null!;
        Error(path, node is ScalarNode
            ? $"must not be null; give {expected} or leave the field out to use the default"
            : $"expected {expected}, got {node.Describe()}", node);
        return false;
    }

    private bool NumberText(RecipeNode node, string path, string expected, out ScalarNode scalar)
    {
        if (!Scalar(node, path, expected, out scalar)) return false;
        if (scalar.Kind is ScalarKind.Plain or ScalarKind.Number) return true;
        Error(path, scalar.Kind == ScalarKind.String
            ? $"expected {expected}, got {scalar.Describe()}; write it without quotes"
            : $"expected {expected}, got {scalar.Describe()}", node);
        return false;
    }

    public bool Double(RecipeNode node, string path, out double value)
    {
        value = 0;
        if (!NumberText(node, path, "a number", out var s)) return false;
        if (!double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            Error(path, $"expected a number, got {s.Describe()}", node);
            return false;
        }
        if (!double.IsFinite(value))
        {
            Error(path, $"must be a finite number, got {s.Describe()}", node);
            return false;
        }
        if (value == 0) value = 0; // no negative zero in the canonical form
        return true;
    }

    public bool Long(RecipeNode node, string path, out long value, long min = long.MinValue, long max = long.MaxValue)
    {
        value = 0;
        if (!NumberText(node, path, "a whole number", out var s)) return false;
        if (long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            return true;
        // 64.0 or 1e3 are whole numbers too; 64.5 is not.
        if (double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            && double.IsFinite(d) && d == Math.Floor(d) && d >= min && d <= max)
        {
            value = (long)d;
            return true;
        }
        Error(path, double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && double.IsFinite(d)
            ? (d == Math.Floor(d) ? $"{s.Value} is out of range" : $"expected a whole number, got {s.Describe()}")
            : $"expected a whole number, got {s.Describe()}", node);
        return false;
    }

    public bool Int(RecipeNode node, string path, out int value)
    {
        bool ok = Long(node, path, out long v, int.MinValue, int.MaxValue);
        value = (int)v;
        return ok;
    }

    public bool Bool(RecipeNode node, string path, out bool value)
    {
        value = false;
        if (!Scalar(node, path, "true or false", out var s)) return false;
        if (s.Kind is ScalarKind.Plain or ScalarKind.Bool && bool.TryParse(s.Value, out value)) return true;
        Error(path, $"expected true or false, got {s.Describe()}", node);
        return false;
    }

    /// <summary>An enumerated name: trimmed and lower-cased (all the recipe's strings are case-insensitive names).</summary>
    public bool Name(RecipeNode node, string path, out string value)
    {
        value = "";
        if (!Scalar(node, path, "a name", out var s)) return false;
        if (s.Kind == ScalarKind.Bool)
        {
            Error(path, $"expected a name, got {s.Describe()}", node);
            return false;
        }
        value = s.Value.Trim().ToLowerInvariant();
        return true;
    }

    public bool DoubleList(RecipeNode node, string path, out IReadOnlyList<double> value)
    {
        value = [];
        if (node is not SequenceNode seq)
        {
            Error(path, $"expected a list of numbers like [0.3, 0.6], got {node.Describe()}", node);
            return false;
        }
        var items = new double[seq.Items.Count];
        bool ok = true;
        for (int i = 0; i < items.Length; i++)
            ok &= Double(seq.Items[i], $"{path}[{i}]", out items[i]);
        value = items;
        return ok;
    }

    /// <summary>Whether the node is null (an empty value, ~, null).</summary>
    public static bool IsNull(RecipeNode node) => node is ScalarNode { IsNull: true };
}

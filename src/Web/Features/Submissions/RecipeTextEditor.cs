using System.Text.Json;
using System.Text.Json.Nodes;

namespace Leaderboard.Web.Features.Submissions;

/// <summary>
/// Sets one field of a recipe's text in place, so the form's fields and its editor stay one document: YAML keeps its
/// comments, order and the rest of its lines (a block-style mapping is edited line by line; a missing key or section is
/// added at the end of its block); JSON is rewritten indented. A null value removes the field (and a section under it).
/// </summary>
public static class RecipeTextEditor
{
    /// <summary>The text with <paramref name="path"/> (dotted, e.g. <c>data.curriculum.start</c>) set to <paramref name="value"/>
    /// (a YAML/JSON scalar as text), or null when the field sits in flow-style YAML the form cannot edit line by line.</summary>
    public static string? Set(string text, string path, string? value)
    {
        var segments = path.Split('.');
        return text.TrimStart().StartsWith('{') ? SetJson(text, segments, value) : SetYaml(text, segments, value);
    }

    private static string? SetJson(string text, string[] path, string? value)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            return null;
        }
        if (root is not JsonObject node) return null;
        foreach (var segment in path[..^1])
        {
            if (node[segment] is JsonObject child) node = child;
            else if (value is null) return root.ToJsonString(Indented);
            else node = (JsonObject)(node[segment] = new JsonObject());
        }
        if (value is null) node.Remove(path[^1]);
        else node[path[^1]] = JsonLiteral(value);
        return root.ToJsonString(Indented);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static JsonNode JsonLiteral(string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) || value is "true" or "false"
            ? JsonNode.Parse(value)!
            : JsonValue.Create(value);

    private static string? SetYaml(string text, string[] path, string? value)
    {
        var newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return SetIn(lines, 0, lines.Count, 0, path, value) ? string.Join(newline, lines) + newline : null;
    }

    /// <summary>Sets the path inside the mapping block lines[from..to) whose keys sit at <paramref name="indent"/>.</summary>
    private static bool SetIn(List<string> lines, int from, int to, int indent, ReadOnlySpan<string> path, string? value)
    {
        var key = path[0];
        for (var i = from; i < to; i++)
        {
            if (!IsContent(lines[i]) || IndentOf(lines[i]) != indent || !TryKey(lines[i], indent, key, out var rest)) continue;
            var end = BlockEnd(lines, i, to, indent);
            var (scalar, comment, commentAt) = SplitComment(rest);
            var commentColumn = indent + key.Length + 1 + commentAt;
            if (path.Length == 1)
            {
                if (value is null)
                {
                    lines.RemoveRange(i, end - i);
                    return true;
                }
                lines[i] = KeyLine(indent, key, value, comment, commentColumn);
                lines.RemoveRange(i + 1, end - i - 1);
                return true;
            }
            if (scalar.Length > 0)
            {
                // A section written as "curriculum: null" (or ~) becomes a block holding the field; flow style is left to the editor.
                if (scalar is not ("null" or "~")) return false;
                if (value is null) return true;
                lines[i] = $"{new string(' ', indent)}{key}:" + (comment.Length == 0 ? "" : " " + comment);
                lines.InsertRange(i + 1, NewLines(indent + 2, path[1..], value));
                return true;
            }
            var childIndent = Enumerable.Range(i + 1, end - i - 1).Where(j => IsContent(lines[j])).Select(j => IndentOf(lines[j])).FirstOrDefault(indent + 2);
            if (!SetIn(lines, i + 1, end, childIndent, path[1..], value)) return false;
            // A section left empty by a removal goes too ("data:" alone would read as null).
            if (value is null && BlockEnd(lines, i, lines.Count, indent) == i + 1) lines.RemoveAt(i);
            return true;
        }
        if (value is null) return true;
        var at = from;
        for (var j = to - 1; j >= from; j--)
        {
            if (!IsContent(lines[j])) continue;
            at = j + 1;
            break;
        }
        lines.InsertRange(at, NewLines(indent, path, value));
        return true;
    }

    private static List<string> NewLines(int indent, ReadOnlySpan<string> path, string value)
    {
        var result = new List<string>();
        for (var k = 0; k < path.Length; k++)
            result.Add(new string(' ', indent + 2 * k) + path[k] + (k == path.Length - 1 ? ": " + value : ":"));
        return result;
    }

    private static bool IsContent(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length > 0 && trimmed[0] != '#' && trimmed != "---";
    }

    private static int IndentOf(string line) => line.Length - line.TrimStart(' ').Length;

    private static bool TryKey(string line, int indent, string key, out string rest)
    {
        rest = "";
        if (string.CompareOrdinal(line, indent, key, 0, key.Length) != 0 || line.Length <= indent + key.Length || line[indent + key.Length] != ':') return false;
        rest = line[(indent + key.Length + 1)..];
        return rest.Length == 0 || rest[0] == ' ';
    }

    /// <summary>The lines after <paramref name="start"/> nested deeper than <paramref name="indent"/> belong to its block.</summary>
    private static int BlockEnd(List<string> lines, int start, int to, int indent)
    {
        var last = start;
        for (var j = start + 1; j < to; j++)
        {
            if (!IsContent(lines[j])) continue;
            if (IndentOf(lines[j]) <= indent) break;
            last = j;
        }
        return last + 1;
    }

    /// <summary>" 0.1   # why" → ("0.1", "# why", 7): the value, the comment after it and the comment's offset in <paramref name="rest"/>.</summary>
    private static (string Scalar, string Comment, int CommentAt) SplitComment(string rest)
    {
        var hash = rest.IndexOf(" #", StringComparison.Ordinal);
        return hash < 0 ? (rest.Trim(), "", -1) : (rest[..hash].Trim(), rest[(hash + 1)..], hash + 1);
    }

    /// <summary>"key: value" keeping a trailing comment at its column when the value leaves room.</summary>
    private static string KeyLine(int indent, string key, string value, string comment, int commentColumn)
    {
        var line = $"{new string(' ', indent)}{key}: {value}";
        return comment.Length == 0 ? line : line + new string(' ', Math.Max(1, commentColumn - line.Length)) + comment;
    }
}

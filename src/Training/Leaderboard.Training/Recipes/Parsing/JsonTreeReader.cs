using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Leaderboard.Training.Recipes.Parsing;

/// <summary>
/// Reads a JSON document into a <see cref="RecipeNode"/> tree with <see cref="Utf8JsonReader"/>, keeping each value's
/// position and whether it was a string or a number (a quoted "64" is a string, as in YAML). Comments and trailing
/// commas are tolerated.
/// </summary>
internal static partial class JsonTreeReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 32,
    };

    public static RecipeNode Read(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] == (byte)'\n') lineStarts.Add(i + 1);

        var reader = new Utf8JsonReader(bytes, Options);
        try
        {
            if (!reader.Read()) throw new RecipeSyntaxException("the recipe is empty", null, null);
            var root = ReadValue(ref reader, lineStarts);
            if (reader.Read())
                throw new JsonException("unexpected content after the end of the JSON document");
            return root;
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? 0) + 1, column = (int)(e.BytePositionInLine ?? 0) + 1;
            throw new RecipeSyntaxException($"malformed JSON at line {line}, column {column}: {Clean(e.Message)}", line, column);
        }
    }

    private static RecipeNode ReadValue(ref Utf8JsonReader reader, List<int> lineStarts)
    {
        var (line, column) = Position(lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var entries = new List<(ScalarNode, RecipeNode)>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (keyLine, keyColumn) = Position(lineStarts, reader.TokenStartIndex);
                    var key = new ScalarNode(reader.GetString()!, ScalarKind.String, keyLine, keyColumn);
                    reader.Read();
                    entries.Add((key, ReadValue(ref reader, lineStarts)));
                }
                return new MappingNode(entries, line, column);
            case JsonTokenType.StartArray:
                var items = new List<RecipeNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, lineStarts));
                return new SequenceNode(items, line, column);
            case JsonTokenType.String:
                return new ScalarNode(reader.GetString()!, ScalarKind.String, line, column);
            case JsonTokenType.Number:
                return new ScalarNode(Encoding.UTF8.GetString(reader.ValueSpan), ScalarKind.Number, line, column);
            case JsonTokenType.True:
            case JsonTokenType.False:
                return new ScalarNode(reader.TokenType == JsonTokenType.True ? "true" : "false", ScalarKind.Bool, line, column);
            case JsonTokenType.Null:
                return new ScalarNode("null", ScalarKind.Null, line, column);
            default:
                throw new JsonException($"unexpected {reader.TokenType}");
        }
    }

    private static (int Line, int Column) Position(List<int> lineStarts, long index)
    {
        int i = lineStarts.BinarySearch((int)index);
        if (i < 0) i = ~i - 1;
        return (i + 1, (int)index - lineStarts[i] + 1);
    }

    private static string Clean(string message) => PositionSuffix().Replace(message, "").Trim();

    [GeneratedRegex(@"\s*(Path: \S*)?\s*\|?\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?$")]
    private static partial Regex PositionSuffix();
}

using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Leaderboard.Training.Recipes.Parsing;

/// <summary>Reads one YAML document into a <see cref="RecipeNode"/> tree with YamlDotNet's event parser (anchors and aliases resolved).</summary>
internal static partial class YamlTreeReader
{
    private const int MaxDepth = 32;

    /// <summary>The root node, or null for a document with no content (empty text, only comments).</summary>
    public static RecipeNode? Read(string text)
    {
        CheckIndentation(text);
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, RecipeNode>(StringComparer.Ordinal);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, 0);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var next))
                throw new RecipeSyntaxException(
                    $"line {next.Start.Line}: the text holds more than one YAML document ('---'); a recipe is one document",
                    (int)next.Start.Line, (int)next.Start.Column);
            parser.Consume<StreamEnd>();
            return root;
        }
        catch (YamlException e)
        {
            int line = (int)e.Start.Line, column = (int)e.Start.Column;
            throw new RecipeSyntaxException($"malformed YAML at line {line}, column {column}: {Clean(e)}", line, column);
        }
    }

    private static RecipeNode ReadNode(IParser parser, Dictionary<string, RecipeNode> anchors, int depth)
    {
        if (depth > MaxDepth)
        {
            var at = parser.Current!.Start;
            throw new RecipeSyntaxException($"line {at.Line}: the document is nested too deeply", (int)at.Line, (int)at.Column);
        }
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new RecipeSyntaxException($"line {alias.Start.Line}: unknown alias *{alias.Value.Value}",
                    (int)alias.Start.Line, (int)alias.Start.Column);
        }

        RecipeNode node;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            bool quoted = scalar.Style != ScalarStyle.Plain || (scalar.Tag.IsGlobal && scalar.Tag.Value == "tag:yaml.org,2002:str");
            node = new ScalarNode(scalar.Value, quoted ? ScalarKind.String : ScalarKind.Plain, (int)scalar.Start.Line, (int)scalar.Start.Column);
            anchor = scalar.Anchor;
        }
        else if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            var items = new List<RecipeNode>();
            while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode(parser, anchors, depth + 1));
            node = new SequenceNode(items, (int)seqStart.Start.Line, (int)seqStart.Start.Column);
            anchor = seqStart.Anchor;
        }
        else if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            var entries = new List<(ScalarNode, RecipeNode)>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = ReadNode(parser, anchors, depth + 1);
                if (key is not ScalarNode scalarKey)
                    throw new RecipeSyntaxException($"line {key.Line}: a mapping key must be a plain name, not {key.Describe()}", key.Line, key.Column);
                entries.Add((scalarKey, ReadNode(parser, anchors, depth + 1)));
            }
            node = new MappingNode(entries, (int)mapStart.Start.Line, (int)mapStart.Start.Column);
            anchor = mapStart.Anchor;
        }
        else
        {
            var at = parser.Current!;
            throw new RecipeSyntaxException($"line {at.Start.Line}: unexpected {at.GetType().Name}", (int)at.Start.Line, (int)at.Start.Column);
        }
        if (!anchor.IsEmpty) anchors[anchor.Value] = node;
        return node;
    }

    /// <summary>YAML indents with spaces only; YamlDotNet reports a tab at the enclosing mapping's line, so find it here.</summary>
    private static void CheckIndentation(string text)
    {
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int indent = line.Length - line.TrimStart(' ', '\t').Length;
            int tab = line.IndexOf('\t', 0, indent);
            if (tab >= 0 && indent < line.TrimEnd('\r').Length && line[indent] != '#')
                throw new RecipeSyntaxException($"malformed YAML at line {i + 1}, column {tab + 1}: the line is indented with a tab; YAML indents with spaces",
                    i + 1, tab + 1);
        }
    }

    /// <summary>YamlDotNet's message without its "(Line: 2, Col: 5, Idx: 9) - (…): " prefix.</summary>
    private static string Clean(YamlException e) => PositionPrefix().Replace(e.Message, "").Trim();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}

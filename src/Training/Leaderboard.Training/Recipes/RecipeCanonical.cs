using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes.Parsing;

namespace Leaderboard.Training.Recipes;

/// <summary>
/// The canonical form of a recipe, what a submission stores and what its hash identifies: compact JSON with every field
/// present (defaults filled in, null where a field is off), snake_case keys in the schema's fixed order (sections model,
/// optimizer, schedule, training, data, evaluation, then seed; fields in the order of <see cref="RecipeParser.FieldPaths"/>),
/// numbers in invariant shortest round-trip form (<c>0.0005</c>, <c>1e-05</c>, <c>4</c>). Recipes that differ only in
/// format (YAML or JSON), key order, comments, or in stating defaults explicitly have the same canonical form and hash.
/// Options added after recipes were first stored (e.g. <c>model.pos_embed</c>) are left out while at their default, so a
/// recipe stored before an option existed keeps its hash.
/// Before writing, <see cref="Normalize"/> drops explicit model dims that equal the chosen variant's (so
/// <c>variant: tiny</c> and <c>variant: tiny, embed_dim: 192</c> are the same recipe). Parsing the canonical JSON gives
/// back <see cref="Normalize"/>(recipe).
/// </summary>
public static class RecipeCanonical
{
    /// <summary>The recipe with explicit dims that repeat its variant's removed (null), so equal recipes are equal records.</summary>
    public static Recipe Normalize(Recipe recipe)
    {
        var m = recipe.Model;
        if (ModelResolver.Variants.TryGetValue(m.Variant, out var dims))
        {
            m = m with
            {
                EmbedDim = m.EmbedDim == dims.EmbedDim ? null : m.EmbedDim,
                Depth = m.Depth == dims.Depth ? null : m.Depth,
                Heads = m.Heads == dims.Heads ? null : m.Heads,
            };
        }
        return recipe with { Model = m, Schedule = recipe.Schedule with { Milestones = recipe.Schedule.Milestones.ToArray() } };
    }

    public static string ToCanonicalJson(Recipe recipe)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
            WriteJson(writer, RecipeSchema.Root.Values(Normalize(recipe)));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 canonical JSON.</summary>
    public static string Hash(Recipe recipe) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToCanonicalJson(recipe))));

    /// <summary>
    /// The recipe as YAML for display: every field in canonical order, fields that are off (null) left out. Parses back
    /// to <see cref="Normalize"/>(recipe).
    /// </summary>
    public static string ToYaml(Recipe recipe)
    {
        var sb = new StringBuilder();
        WriteYaml(sb, RecipeSchema.Root.Values(Normalize(recipe)), 0);
        return sb.ToString();
    }

    private static void WriteJson(Utf8JsonWriter writer, SectionValues section)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in section.Values)
        {
            writer.WritePropertyName(key);
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case SectionValues child: WriteJson(writer, child); break;
                case string s: writer.WriteStringValue(s); break;
                case bool b: writer.WriteBooleanValue(b); break;
                case IReadOnlyList<double> list:
                    writer.WriteStartArray();
                    foreach (var d in list) writer.WriteRawValue(Number(d));
                    writer.WriteEndArray();
                    break;
                default: writer.WriteRawValue(Number(value)); break;
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteYaml(StringBuilder sb, SectionValues section, int indent)
    {
        foreach (var (key, value) in section.Values)
        {
            if (value is null) continue;
            sb.Append(' ', indent).Append(key).Append(':');
            switch (value)
            {
                case SectionValues child:
                    sb.Append('\n');
                    WriteYaml(sb, child, indent + 2);
                    continue;
                case string s: sb.Append(' ').Append(YamlString(s)); break;
                case bool b: sb.Append(b ? " true" : " false"); break;
                case IReadOnlyList<double> list: sb.Append(" [").AppendJoin(", ", list.Select(d => Number(d))).Append(']'); break;
                default: sb.Append(' ').Append(Number(value)); break;
            }
            sb.Append('\n');
        }
    }

    /// <summary>Invariant, shortest round-trip, lowercase exponent; integers as integers; no negative zero.</summary>
    private static string Number(object value) => value switch
    {
        double d => (d == 0 ? 0 : d).ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e'),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"unexpected value {value.GetType()}"),
    };

    private static readonly HashSet<string> YamlReserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    };

    private static string YamlString(string s) =>
        !YamlReserved.Contains(s) && s.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-') && char.IsAsciiLetterLower(s[0])
            ? s
            : JsonSerializer.Serialize(s); // a JSON string is a valid YAML double-quoted scalar
}

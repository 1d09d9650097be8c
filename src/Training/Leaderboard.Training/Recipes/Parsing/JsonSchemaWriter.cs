using System.Text.Json;

namespace Leaderboard.Training.Recipes.Parsing;

/// <summary>Writes the recipe schema as JSON Schema (draft 2020-12) from the field tables: types, allowed names, defaults.</summary>
internal static class JsonSchemaWriter
{
    public static string Write()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
            w.WriteString("title", "Leaderboard training recipe");
            w.WriteString("description", "A declarative recipe: which vision transformer to train and how, as YAML or JSON. Every field is "
                + "optional. Value ranges and cross-field rules (e.g. image_size a multiple of patch_size) are checked by the platform, "
                + "which reports each problem at its field's path.");
            WriteObject(w, RecipeSchema.Root, new Recipe(), "");
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void WriteSection<TChild>(Utf8JsonWriter w, Schema<TChild> schema, TChild defaults, string prefix, bool nullable) where TChild : new()
    {
        w.WriteStartObject();
        if (nullable)
        {
            w.WriteStartArray("anyOf");
            w.WriteStartObject();
            w.WriteString("type", "null");
            w.WriteEndObject();
            w.WriteStartObject();
            WriteObject(w, schema, defaults, prefix);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteNull("default");
        }
        else WriteObject(w, schema, defaults, prefix);
        w.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter w, Type type, bool nullable, object? defaultValue, string path)
    {
        w.WriteStartObject();
        string json = type == typeof(int) || type == typeof(long) ? "integer"
            : type == typeof(double) ? "number"
            : type == typeof(bool) ? "boolean"
            : type == typeof(string) ? "string"
            : "array";
        if (nullable)
        {
            w.WriteStartArray("type");
            w.WriteStringValue(json);
            w.WriteStringValue("null");
            w.WriteEndArray();
        }
        else w.WriteString("type", json);
        if (json == "array")
        {
            w.WriteStartObject("items");
            w.WriteString("type", "number");
            w.WriteEndObject();
        }
        if (RecipeValidator.AllowedValues.TryGetValue(path, out var names))
        {
            w.WriteStartArray("enum");
            foreach (var n in names) w.WriteStringValue(n);
            w.WriteEndArray();
        }
        w.WritePropertyName("default");
        switch (defaultValue)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case IReadOnlyList<double> list:
                w.WriteStartArray();
                foreach (var d in list) w.WriteNumberValue(d);
                w.WriteEndArray();
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteObject<T>(Utf8JsonWriter w, Schema<T> schema, T defaults, string prefix) where T : new()
    {
        w.WriteString("type", "object");
        w.WriteBoolean("additionalProperties", false);
        w.WriteStartObject("properties");
        foreach (var field in schema.Fields)
        {
            w.WritePropertyName(field.Key);
            field.WriteJsonSchema(w, defaults, prefix + field.Key);
        }
        w.WriteEndObject();
    }
}

using System.Text.Json;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

public class RecipeJsonSchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(RecipeParser.JsonSchema).RootElement;

    private static JsonElement Field(string path)
    {
        var node = Schema;
        foreach (var key in path.Split('.'))
        {
            var properties = node.TryGetProperty("anyOf", out var anyOf) ? anyOf[1].GetProperty("properties") : node.GetProperty("properties");
            node = properties.GetProperty(key);
        }
        return node;
    }

    [Fact]
    public void Every_field_is_described_with_its_type_and_default()
    {
        foreach (var path in RecipeParser.FieldPaths)
        {
            var field = Field(path);
            Assert.True(field.TryGetProperty("type", out _), path);
            Assert.True(field.TryGetProperty("default", out _), path);
        }
        Assert.False(Schema.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Names_defaults_and_nullability_are_those_of_the_recipe()
    {
        Assert.Equal(["tiny", "small", "base", "custom"], Field("model.variant").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("tiny", Field("model.variant").GetProperty("default").GetString());
        Assert.Equal("integer", Field("model.patch_size").GetProperty("type").GetString());
        Assert.Equal(16, Field("model.patch_size").GetProperty("default").GetInt32());
        Assert.Equal(["integer", "null"], Field("model.embed_dim").GetProperty("type").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("array", Field("schedule.milestones").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, Field("data.curriculum").GetProperty("default").ValueKind);
        Assert.Equal(32, Field("data.curriculum.start").GetProperty("default").GetInt32());
        Assert.Equal(["epochs", "budget"], Field("data.curriculum.unit").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }
}

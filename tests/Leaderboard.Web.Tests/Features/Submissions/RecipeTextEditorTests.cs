using Leaderboard.Training.Recipes;
using Leaderboard.Web.Features.Submissions;

namespace Leaderboard.Web.Tests.Features.Submissions;

public sealed class RecipeTextEditorTests
{
    private const string Yaml = """
        # a comment on top
        model:
          variant: tiny          # 192 dims
          patch_size: 16
        optimizer:
          lr: 0.001
        seed: 0

        """;

    [Fact]
    public void Setting_a_yaml_field_changes_its_line_only_and_keeps_the_comment_in_its_column()
    {
        var text = RecipeTextEditor.Set(Yaml, "model.variant", "small")!;

        Assert.Equal(Yaml.Replace("variant: tiny          # 192 dims", "variant: small         # 192 dims", StringComparison.Ordinal), text);
        Assert.Equal("small", RecipeParser.Parse(text).Recipe!.Model.Variant);
    }

    [Fact]
    public void A_missing_field_is_added_to_its_section_and_a_missing_section_at_the_end()
    {
        var text = RecipeTextEditor.Set(Yaml, "model.ffn", "locality")!;
        text = RecipeTextEditor.Set(text, "data.curriculum.start", "32")!;

        var recipe = RecipeParser.Parse(text).Recipe!;
        Assert.Equal("locality", recipe.Model.Ffn);
        Assert.Equal(32, recipe.Data.Curriculum!.Start);
        Assert.Contains("  patch_size: 16\n  ffn: locality\noptimizer:", text, StringComparison.Ordinal);
        Assert.EndsWith("seed: 0\ndata:\n  curriculum:\n    start: 32\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_removes_a_field_or_a_whole_section()
    {
        var withCurriculum = RecipeTextEditor.Set(Yaml, "data.curriculum.start", "32")!;

        var text = RecipeTextEditor.Set(withCurriculum, "data.curriculum", null)!;
        text = RecipeTextEditor.Set(text, "optimizer.lr", null)!;

        var recipe = RecipeParser.Parse(text).Recipe!;
        Assert.Null(recipe.Data.Curriculum);
        Assert.Equal(new OptimizerSpec().Lr, recipe.Optimizer.Lr);
        Assert.Contains("# a comment on top", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_recipes_are_edited_as_json()
    {
        var text = RecipeTextEditor.Set("""{ "model": { "variant": "tiny" } }""", "optimizer.lr", "0.0005")!;

        Assert.StartsWith("{", text, StringComparison.Ordinal);
        Assert.Equal(0.0005, RecipeParser.Parse(text).Recipe!.Optimizer.Lr);
        Assert.Equal("tiny", RecipeParser.Parse(RecipeTextEditor.Set(text, "model.pooling", "gap")!).Recipe!.Model.Variant);
    }

    [Fact]
    public void Flow_style_sections_are_left_to_the_text()
    {
        Assert.Null(RecipeTextEditor.Set("model: { variant: tiny }\n", "model.patch_size", "8"));
    }

    [Fact]
    public void Every_template_takes_every_field_of_the_form()
    {
        foreach (var template in RecipeTemplates.All)
        foreach (var field in RecipeFields.All.Where(f => f.Kind != RecipeFieldKind.Choice))
        {
            var text = RecipeTextEditor.Set(template.Yaml, field.Path, "3");
            Assert.NotNull(text);
            Assert.True(RecipeParser.Parse(text).Recipe is not null, $"{template.Name} with {field.Path}: 3 does not parse");
        }
    }
}

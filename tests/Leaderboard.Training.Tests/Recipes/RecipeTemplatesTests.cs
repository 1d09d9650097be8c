using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

public class RecipeTemplatesTests
{
    private static TrackRules RulesFor(string track) => track switch
    {
        "synthetic-cpu-2min" => TrackRules.SyntheticCpu,
        "imagenet1k-1gpu-24h" or "imagenet1k-1gpu-1h" => TrackRules.ImageNet1k,
        _ => throw new ArgumentException($"unknown track {track}"),
    };

    public static TheoryData<string> Names() => new(RecipeTemplates.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_template_parses_and_validates_on_its_track(string name)
    {
        var template = RecipeTemplates.Find(name)!;
        var result = RecipeLoader.Load(template.Yaml, RulesFor(template.Track));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Contains(template.Track, template.Description);
        Assert.Contains("#", template.Yaml);
    }

    [Fact]
    public void The_required_templates_exist_with_unique_names()
    {
        Assert.Equal(RecipeTemplates.All.Count, RecipeTemplates.All.Select(t => t.Name).Distinct().Count());
        foreach (var name in new[] { "deit-tiny-baseline", "locality-curriculum", "tiny-quick" })
            Assert.NotNull(RecipeTemplates.Find(name));
    }

    [Fact]
    public void Templates_are_what_their_names_say()
    {
        var deit = RecipeParser.Parse(RecipeTemplates.DeitTinyBaseline.Yaml).Recipe!;
        Assert.Equal(("tiny", "mlp", "cosine", "budget", 224), (deit.Model.Variant, deit.Model.Ffn, deit.Schedule.Name, deit.Schedule.Over, deit.Data.ImageSize));

        var locality = RecipeParser.Parse(RecipeTemplates.LocalityCurriculum.Yaml).Recipe!;
        Assert.Equal("locality", locality.Model.Ffn);
        Assert.Equal(32, locality.Data.Curriculum!.Start);

        var quick = RecipeParser.Parse(RecipeTemplates.TinyQuick.Yaml).Recipe!;
        Assert.Equal((96, 4, 3, 4, 32, 64, 2e-3, "light"),
            (quick.Model.EmbedDim, quick.Model.Depth, quick.Model.Heads, quick.Model.PatchSize, quick.Data.ImageSize, quick.Training.BatchSize, quick.Optimizer.Lr, quick.Data.Augment));
    }
}

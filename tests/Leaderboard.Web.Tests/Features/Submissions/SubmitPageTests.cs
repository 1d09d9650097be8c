using Bunit;
using Leaderboard.Data;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Features.Submissions;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Features.Submissions;

/// <summary>The submission form: fields and text are one recipe, checked and priced as it is edited.</summary>
[Collection(ComponentCollection.Name)]
public sealed class SubmitPageTests(ComponentPlatformFixture fixture) : PlatformComponentTest(fixture)
{
    private const string Slug = TrackSeeder.SyntheticTrackSlug;

    private async Task<IRenderedComponent<SubmitPage>> RenderFormAsync(string query = "")
    {
        await SignInAsync("form");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/tracks/{Slug}/submit{query}");
        var page = Render<SubmitPage>(p => p.Add(x => x.Slug, Slug));
        // Loaded to the end (the quota is read last).
        page.WaitForElement("[data-quota]");
        return page;
    }

    private static string Text(IRenderedComponent<SubmitPage> page) => page.Find("#recipe").GetAttribute("value") ?? "";

    [Fact]
    public async Task Starts_from_the_tracks_first_template_with_its_fields_filled_in()
    {
        var page = await RenderFormAsync();
        var template = TrackTemplates.For(Slug)[0];

        Assert.Equal(template.Yaml, Text(page));
        var recipe = RecipeParser.Parse(template.Yaml).Recipe!;
        Assert.Equal(recipe.Model.Variant, page.Find("#field-model-variant").GetAttribute("value"));
        Assert.Equal(recipe.Model.PatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("#field-model-patch-size").GetAttribute("value"));
        Assert.False(page.Find("#recipe").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_field_edits_the_text_and_the_text_edits_the_fields()
    {
        var page = await RenderFormAsync();

        page.Find("#field-model-patch-size").Input("8");
        Assert.Equal(8, RecipeParser.Parse(Text(page)).Recipe!.Model.PatchSize);
        Assert.Contains("#", Text(page).Split('\n').Single(l => l.Contains("patch_size:", StringComparison.Ordinal)), StringComparison.Ordinal);

        page.Find("#field-model-ffn").Change("locality");
        Assert.Equal("locality", RecipeParser.Parse(Text(page)).Recipe!.Model.Ffn);

        page.Find("#recipe").Input(Text(page).Replace("  depth: 4", "  depth: 6", StringComparison.Ordinal).Replace("  patch_size: 8", "  patch_size: 2", StringComparison.Ordinal));
        Assert.Equal("6", page.Find("#field-model-depth").GetAttribute("value"));
        Assert.Equal("2", page.Find("#field-model-patch-size").GetAttribute("value"));
    }

    [Fact]
    public async Task A_bad_value_is_named_under_its_field_as_it_is_typed()
    {
        var page = await RenderFormAsync();

        page.Find("#field-model-patch-size").Input("0");

        // The message renders after the field's change is validated: wait for that render.
        var message = page.WaitForElement("[data-error-for='model.patch_size']");
        Assert.NotEmpty(message.TextContent);
        Assert.Equal("true", page.Find("#field-model-patch-size").GetAttribute("aria-invalid"));
        Assert.Equal("0", page.Find("#field-model-patch-size").GetAttribute("value"));

        page.Find("#field-model-patch-size").Input("8");
        Assert.Empty(page.FindAll("[data-error-for='model.patch_size']"));

        page.Find("#name").Input("");
        Assert.Equal("A name is required.", page.Find("[data-error-for='name']").TextContent);
    }

    [Fact]
    public async Task The_cost_estimate_follows_the_recipe()
    {
        var page = await RenderFormAsync();
        var before = page.Find("[data-estimate-params]").TextContent;
        var epochsBefore = page.Find("[data-estimate-epochs]").TextContent;

        page.Find("#field-model-embed-dim").Input("192");

        var info = await TrackInfoAsync();
        page.WaitForAssertion(() =>
        {
            Assert.Contains("embed_dim: 192", Text(page), StringComparison.Ordinal);
            var wider = CostEstimator.Estimate(RecipeParser.Parse(Text(page)).Recipe!, info);
            Assert.Equal(Leaderboard.Web.Components.Format.Millions(wider.Params) + " M", page.Find("[data-estimate-params]").TextContent);
        });
        Assert.NotEqual(before, page.Find("[data-estimate-params]").TextContent);
        Assert.NotEqual(epochsBefore, page.Find("[data-estimate-epochs]").TextContent);

        page.Find("#field-data-image-size").Input("64");
        page.Find("#field-curriculum").Change(true);
        page.WaitForAssertion(() => Assert.Equal(["32", "64"], page.FindAll(".per-size tbody tr").Select(tr => tr.GetAttribute("data-size"))));
    }

    [Fact]
    public async Task Shows_the_quota_and_submits_to_the_run_page()
    {
        var page = await RenderFormAsync();
        Assert.Contains("0 of", page.Find("[data-quota]").TextContent);

        page.Find("#name").Input("bunit submission");
        page.Find("form[data-submit-form]").Submit();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches(@"/submissions/\d+$", navigation.Uri));
        var stored = await WithDbAsync(db => db.Submissions.SingleAsync(s => s.Name == "bunit submission"));
        Assert.EndsWith($"/submissions/{stored.Id}", navigation.Uri);
    }

    [Fact]
    public async Task Seeds_beyond_the_tracks_cap_are_refused_at_the_field_and_two_seeds_queue_two_runs()
    {
        var page = await RenderFormAsync();
        page.Find("#name").Input("two seeds from the form");

        page.Find("#seeds").Input("9");
        Assert.Equal("a whole number from 1 to 5 (the cap on synthetic-cpu-2min)", page.Find("[data-error-for=seeds]").TextContent);
        Assert.Equal("true", page.Find("#seeds").GetAttribute("aria-invalid"));
        page.Find("#seeds").Input("2");
        Assert.Empty(page.FindAll("[data-error-for=seeds]"));
        page.Find("form[data-submit-form]").Submit();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches(@"/submissions/\d+$", navigation.Uri));
        var stored = await WithDbAsync(db => db.Submissions.Include(s => s.Runs).SingleAsync(s => s.Name == "two seeds from the form"));
        Assert.Equal(2, stored.Seeds);
        var seed = RecipeParser.Parse(TrackTemplates.For(Slug)[0].Yaml).Recipe!.Seed;
        Assert.Equal([seed, seed + 1], stored.Runs.OrderBy(r => r.Id).Select(r => r.Seed));
    }

    [Fact]
    public async Task Forking_starts_from_another_submissions_recipe()
    {
        var track = await WithDbAsync(db => db.Tracks.SingleAsync(t => t.Slug == Slug));
        var forked = await WithDbAsync(async db =>
        {
            var submission = CompletedSubmission(track.Id, "original", 50, recipe: "model:\n  variant: tiny\n  patch_size: 8\n");
            db.Submissions.Add(submission);
            await db.SaveChangesAsync();
            return submission.Id;
        });

        var page = await RenderFormAsync($"?fork={forked}");

        Assert.Equal("model:\n  variant: tiny\n  patch_size: 8\n", Text(page));
        Assert.Equal("Fork of original", page.Find("#name").GetAttribute("value"));
    }

    private async Task<TrackInfo> TrackInfoAsync()
    {
        var track = await WithDbAsync(db => db.Tracks.SingleAsync(t => t.Slug == Slug));
        return new TrackInfo(track.NumClasses, track.TrainImages, track.BudgetSeconds, track.ReferenceTflops);
    }
}

using Leaderboard.Data;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Extensions;
using Leaderboard.Web.Features.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Apis;

public static class RecipesApi
{
    public static RouteGroupBuilder MapRecipesApi(this RouteGroupBuilder api)
    {
        var recipes = api.MapGroup("/recipes").WithTags("Recipes");
        recipes.MapGet("/templates", GetTemplates).WithName("GetRecipeTemplates");
        recipes.MapPost("/validate", Validate).WithName("ValidateRecipe").ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return api;
    }

    public static Ok<List<RecipeTemplateDto>> GetTemplates() =>
        TypedResults.Ok(RecipeTemplates.All.Select(t => new RecipeTemplateDto(t.Name, t.Description, t.Yaml)).ToList());

    /// <summary>Checks a recipe against a track without storing anything: field-level errors, or the cost estimate.</summary>
    public static async Task<Results<Ok<ValidateRecipeResponse>, ValidationProblem>> Validate(ValidateRecipeRequest request, LeaderboardDbContext db,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        InputRules.CheckText(errors, "track", request.Track, SubmissionService.MaxTrackLength);
        InputRules.CheckText(errors, RecipeCheck.WholeRecipeKey, request.Recipe, SubmissionService.MaxRecipeLength, multiline: true);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The recipe is not valid for this track.");
        var track = string.IsNullOrWhiteSpace(request.Track) ? null
            : await db.Tracks.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == request.Track, cancellationToken);
        if (track is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["track"] = [string.IsNullOrWhiteSpace(request.Track) ? "A track is required." : $"Unknown track '{request.Track}'."],
            }, title: "The recipe is not valid for this track.");
        }
        var check = RecipeCheck.Run(track, request.Recipe);
        if (!check.IsValid) return TypedResults.ValidationProblem(check.Errors, title: "The recipe is not valid for this track.");
        var recipe = check.Recipe!;
        return TypedResults.Ok(new ValidateRecipeResponse(true, RecipeCanonical.Hash(recipe), RecipeCanonical.ToCanonicalJson(recipe),
            EstimateDto.From(check.Estimate!)));
    }
}

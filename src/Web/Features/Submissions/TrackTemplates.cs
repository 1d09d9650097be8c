using Leaderboard.Training.Recipes;

namespace Leaderboard.Web.Features.Submissions;

public static class TrackTemplates
{
    /// <summary>The templates offered for a track: the ones made for it, or all of them when none is.</summary>
    public static IReadOnlyList<RecipeTemplate> For(string trackSlug)
    {
        var own = RecipeTemplates.All.Where(t => t.Track == trackSlug).ToList();
        return own.Count > 0 ? own : RecipeTemplates.All;
    }
}

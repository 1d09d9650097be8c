using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Recipes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Infrastructure;

public sealed record CompletedResult(string Name, double Top1, long Params, string Device, string Recipe);

public static class CompletedResults
{
    /// <summary>Completed, scored submissions on a track as the worker leaves them, with canonical recipes as the API stores them.</summary>
    public static async Task AddAsync(this PlatformFactory platform, string trackSlug, params CompletedResult[] rows)
    {
        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        var track = await db.Tracks.SingleAsync(t => t.Slug == trackSlug);
        var first = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(await db.Submissions.CountAsync());
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            var recipe = RecipeParser.Parse(row.Recipe).Recipe!;
            var at = first.AddMinutes(i + 1);
            db.Submissions.Add(new Submission
            {
                TrackId = track.Id,
                Name = row.Name,
                RecipeText = row.Recipe,
                RecipeCanonical = RecipeCanonical.ToCanonicalJson(recipe),
                RecipeHash = RecipeCanonical.Hash(recipe),
                CreatedAt = at,
                Runs =
                [
                    new Run
                    {
                        Status = RunStatus.Completed,
                        QueuedAt = at,
                        Result = new Result
                        {
                            Top1 = row.Top1, Top5 = Math.Min(100, row.Top1 + 30), Params = row.Params, Gflops = 0.05, ImagesPerSecond = 900,
                            TrainSeconds = 119.5, Device = row.Device, RecipeHash = RecipeCanonical.Hash(recipe), CreatedAt = at,
                        },
                    },
                ],
            });
        }
        await db.SaveChangesAsync();
    }
}

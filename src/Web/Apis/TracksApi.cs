using Leaderboard.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Apis;

public static class TracksApi
{
    public static RouteGroupBuilder MapTracksApi(this RouteGroupBuilder api)
    {
        var tracks = api.MapGroup("/tracks").WithTags("Tracks");
        tracks.MapGet("/", GetTracks).WithName("GetTracks");
        tracks.MapGet("/{slug}", GetTrack).WithName("GetTrack");
        tracks.MapGet("/{slug}/leaderboard", GetLeaderboard).WithName("GetLeaderboard");
        return api;
    }

    public static async Task<Ok<List<TrackDto>>> GetTracks(LeaderboardDbContext db, CancellationToken cancellationToken)
    {
        var tracks = await db.Tracks.AsNoTracking().OrderBy(t => t.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(tracks.Select(TrackDto.From).ToList());
    }

    public static async Task<Results<Ok<TrackDto>, ProblemHttpResult>> GetTrack(string slug, LeaderboardDbContext db, CancellationToken cancellationToken)
    {
        var track = await db.Tracks.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, cancellationToken);
        return track is null ? Problems.NotFound($"No track '{slug}'.") : TypedResults.Ok(TrackDto.From(track));
    }

    public static async Task<Results<Ok<LeaderboardDto>, ProblemHttpResult>> GetLeaderboard(string slug, LeaderboardDbContext db, CancellationToken cancellationToken)
    {
        var track = await db.Tracks.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, cancellationToken);
        if (track is null) return Problems.NotFound($"No track '{slug}'.");
        var entries = await db.GetLeaderboardAsync(track.Id, cancellationToken);
        return TypedResults.Ok(new LeaderboardDto(TrackDto.From(track), entries));
    }
}

internal static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
}

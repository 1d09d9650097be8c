using Leaderboard.Data;
using Leaderboard.Web.Features.Leaderboards;
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
        tracks.MapGet("/{slug}/leaderboard", GetLeaderboard).WithName("GetLeaderboard")
            .Produces<LeaderboardDto>(StatusCodes.Status200OK, "application/json")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
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

    /// <summary>Browsers and tools may reuse a page for a few seconds, then revalidate it with its ETag (cheap: a 304 from memory).</summary>
    public const string LeaderboardCacheControl = "public, max-age=5, must-revalidate";

    /// <summary>
    /// A page of the track's ranking (see <see cref="LeaderboardRequest"/> for paging, sorting and filters) as JSON, or
    /// CSV with <c>Accept: text/csv</c> or <c>?format=csv</c>. Sends an ETag; <c>If-None-Match</c> with it answers 304.
    /// </summary>
    public static async Task<IResult> GetLeaderboard(string slug, HttpContext http, LeaderboardFeed feed, CancellationToken cancellationToken)
    {
        var (request, errors) = LeaderboardRequest.Parse(http.Request.Query);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The leaderboard query is not valid.");
        var format = request.Format ?? (AcceptsCsv(http.Request) ? LeaderboardFormat.Csv : LeaderboardFormat.Json);
        var snapshot = await feed.GetAsync(slug, request, cancellationToken);
        if (snapshot is null) return Problems.NotFound($"No track '{slug}'.");
        var page = snapshot.Representation(format, feed.JsonOptions);

        var headers = http.Response.Headers;
        headers.ETag = page.ETag;
        headers.CacheControl = LeaderboardCacheControl;
        headers.Vary = "Accept";
        if (Matches(http.Request.Headers.IfNoneMatch, page.ETag)) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (format == LeaderboardFormat.Csv) headers.ContentDisposition = $"inline; filename=\"{slug}-leaderboard.csv\"";
        return TypedResults.Bytes(page.Body, page.ContentType);
    }

    private static bool AcceptsCsv(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);

    /// <summary>If-None-Match: "*", or a list of entity tags, weak (W/) or strong, compared weakly (RFC 9110 13.1.2).</summary>
    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var value in ifNoneMatch)
        {
            foreach (var candidate in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (candidate == "*" || (candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate) == etag) return true;
            }
        }
        return false;
    }
}

internal static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
}

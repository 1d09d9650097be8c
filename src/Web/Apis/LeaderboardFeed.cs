using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leaderboard.Data;
using Leaderboard.Web.Features.Leaderboards;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Apis;

/// <summary>A serialized leaderboard page with its validator.</summary>
public sealed record LeaderboardRepresentation(byte[] Body, string ContentType, string ETag, long Version);

/// <summary>
/// Serves the leaderboard API's pages from memory: a page is read and serialized once per track version (see
/// <see cref="LeaderboardVersions"/>) and then served, and revalidated (304), without asking the database. While the
/// change feed is down every request reads the database.
/// </summary>
public sealed class LeaderboardFeed(IDbContextFactory<LeaderboardDbContext> dbFactory, LeaderboardVersions versions, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>Bounds memory (a page of 50 is ~20 KB): past it the cache starts over.</summary>
    public const int MaxCachedPages = 2048;

    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string JsonContentType = "application/json; charset=utf-8";

    private readonly ConcurrentDictionary<string, LeaderboardRepresentation> _pages = new(StringComparer.Ordinal);

    /// <summary>The page, or null when there is no such track.</summary>
    public async ValueTask<LeaderboardRepresentation?> GetAsync(string slug, LeaderboardRequest request, LeaderboardFormat format,
        CancellationToken cancellationToken)
    {
        var key = request.CacheKey(slug, format);
        if (versions.Current(slug) is { } current && _pages.TryGetValue(key, out var cached) && cached.Version == current) return cached;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var track = await db.Tracks.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, cancellationToken);
        if (track is null) return null;
        var page = await db.GetLeaderboardAsync(track.Id, request.Query, cancellationToken);
        var body = format == LeaderboardFormat.Csv
            ? Csv(page)
            : JsonSerializer.SerializeToUtf8Bytes(
                LeaderboardDto.From(track, page, request, await db.GetReportedResultsAsync(track.Id, cancellationToken)), json.Value.SerializerOptions);
        var representation = new LeaderboardRepresentation(body, format == LeaderboardFormat.Csv ? CsvContentType : JsonContentType, ETagOf(body), page.Version);

        versions.Observe(slug, track.Id, page.Version);
        if (versions.Current(slug) == page.Version)
        {
            if (_pages.Count >= MaxCachedPages) _pages.Clear();
            _pages[key] = representation;
        }
        return representation;
    }

    private static string ETagOf(byte[] body) => $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12))}\"";

    public static readonly string[] CsvColumns =
    [
        "rank", "submissionId", "runId", "name", "owner", "top1", "top5", "params", "gflops", "imagesPerSecond", "trainSeconds", "device",
        "family", "components", "recipeHash", "submittedAt",
    ];

    /// <summary>The page's entries as RFC 4180 CSV, one header line then one line per entry (components separated by ';').</summary>
    private static byte[] Csv(RankingPage page)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', CsvColumns)).Append("\r\n");
        foreach (var e in page.Entries)
        {
            string[] fields =
            [
                Num(e.Rank), Num(e.SubmissionId), Num(e.RunId), e.Name, e.Owner ?? "", Num(e.Top1), Num(e.Top5), Num(e.Params), Num(e.Gflops),
                Num(e.ImagesPerSecond), e.TrainSeconds is { } t ? Num(t) : "", e.Device, e.Family, string.Join(';', e.Components), e.RecipeHash,
                e.SubmittedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ];
            sb.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());

        static string Num<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
        static string Quote(string field) =>
            field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }
}

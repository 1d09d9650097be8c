using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Features.Leaderboards;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Apis;

/// <summary>A serialized leaderboard page with its validator.</summary>
public sealed record LeaderboardRepresentation(byte[] Body, string ContentType, string ETag);

/// <summary>A page of a track's ranking as read at one leaderboard version, with its JSON and CSV made on first use.</summary>
public sealed class LeaderboardSnapshot(Track track, RankingPage ranking, IReadOnlyList<ReportedResult> reported, LeaderboardRequest request)
{
    private LeaderboardRepresentation? _json;
    private LeaderboardRepresentation? _csv;

    public Track Track => track;
    public RankingPage Ranking => ranking;
    public IReadOnlyList<ReportedResult> Reported => reported;
    public LeaderboardRequest Request => request;
    public long Version => ranking.Version;

    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string JsonContentType = "application/json; charset=utf-8";

    public static readonly string[] CsvColumns =
    [
        "rank", "submissionId", "runId", "name", "owner", "top1", "top5", "params", "gflops", "imagesPerSecond", "trainSeconds", "device",
        "family", "components", "recipeHash", "submittedAt", "hardwareClass", "calibrationScore",
        "seeds", "singleSeed", "top1StdDev", "top1Ci95", "gapToAboveSignificant", "gapPValue",
        "verified", "verificationRunId", "verificationTop1", "verificationOtherCodeVersion", "heads", "rulesVersion", "otherRules",
    ];

    // Two requests may both build one the first time: they build the same bytes, and either copy serves.
    public LeaderboardRepresentation Representation(LeaderboardFormat format, JsonSerializerOptions json) => format == LeaderboardFormat.Csv
        ? _csv ??= Make(Csv(), CsvContentType)
        : _json ??= Make(JsonSerializer.SerializeToUtf8Bytes(LeaderboardDto.From(track, ranking, request, reported), json), JsonContentType);

    private static LeaderboardRepresentation Make(byte[] body, string contentType) =>
        new(body, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12))}\"");

    /// <summary>The page's entries as RFC 4180 CSV, one header line then one line per entry (components separated by ';').</summary>
    private byte[] Csv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', CsvColumns).Append("\r\n");
        foreach (var e in ranking.Entries)
        {
            string[] fields =
            [
                Num(e.Rank), Num(e.SubmissionId), Num(e.RunId), e.Name, e.Owner ?? "", Num(e.Top1), Num(e.Top5), Num(e.Params), Num(e.Gflops),
                Num(e.ImagesPerSecond), e.TrainSeconds is { } t ? Num(t) : "", e.Device, e.Family, string.Join(';', e.Components), e.RecipeHash,
                e.SubmittedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), e.HardwareClass ?? "", e.CalibrationScore is { } c ? Num(c) : "",
                Num(e.Seeds), Bool(e.SingleSeed), Opt(e.Top1StdDev),
                Opt(e.Top1Ci95), e.GapToAboveSignificant is { } significant ? Bool(significant) : "", Opt(e.GapPValue),
                e.Verification is { } v ? Bool(v.Verified) : "", e.Verification is { } vr ? Num(vr.RunId) : "", Opt(e.Verification?.Top1),
                e.Verification is { } vc ? Bool(vc.OtherCodeVersion) : "", e.Heads is { } k ? Num(k) : "", e.RulesVersion ?? "", Bool(e.OtherRules),
            ];
            sb.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());

        static string Num<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);
        static string Opt(double? value) => value is { } v ? Num(v) : "";
        static string Bool(bool value) => value ? "true" : "false";
        static string Quote(string field) =>
            field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }
}

/// <summary>
/// Leaderboard pages from memory for the API and the track page: a page is read from the database once per track
/// version (see <see cref="LeaderboardVersions"/>) and then served, serialized once per format, and revalidated (304)
/// without asking the database. While the change feed is down every request reads the database.
/// </summary>
public sealed class LeaderboardFeed(IDbContextFactory<LeaderboardDbContext> dbFactory, LeaderboardVersions versions, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>Bounds memory (a page of 50 is ~20 KB): past it the cache starts over.</summary>
    public const int MaxCachedPages = 2048;

    private readonly ConcurrentDictionary<string, LeaderboardSnapshot> _pages = new(StringComparer.Ordinal);

    public JsonSerializerOptions JsonOptions => json.Value.SerializerOptions;

    /// <summary>The page, or null when there is no such track.</summary>
    public async ValueTask<LeaderboardSnapshot?> GetAsync(string slug, LeaderboardRequest request, CancellationToken cancellationToken)
    {
        var key = request.CacheKey(slug);
        if (versions.Current(slug) is { } current && _pages.TryGetValue(key, out var cached) && cached.Version == current) return cached;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var track = await db.Tracks.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, cancellationToken);
        if (track is null) return null;
        var ranking = await db.GetLeaderboardAsync(track.Id, request.Query, cancellationToken);
        var snapshot = new LeaderboardSnapshot(track, ranking, await db.GetReportedResultsAsync(track.Id, cancellationToken), request);

        versions.Observe(slug, track.Id, ranking.Version);
        if (versions.Current(slug) == ranking.Version)
        {
            if (_pages.Count >= MaxCachedPages) _pages.Clear();
            _pages[key] = snapshot;
        }
        return snapshot;
    }
}

using System.Data.Common;
using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Leaderboard.Data;

public sealed record LeaderboardEntry(
    int Rank,
    long SubmissionId,
    long RunId,
    string Name,
    string? Owner,
    double Top1,
    double Top5,
    long Params,
    double Gflops,
    double ImagesPerSecond,
    string Device,
    string RecipeHash,
    DateTimeOffset SubmittedAt,
    double? TrainSeconds,
    string Family,
    IReadOnlyList<string> Components,
    int? Heads = null);

/// <summary>The columns a leaderboard can be sorted by.</summary>
public enum LeaderboardSort
{
    Rank,
    Top1,
    Top5,
    Params,
    Gflops,
    ImagesPerSecond,
    TrainSeconds,
    SubmittedAt,
    Name,
}

/// <summary>One page of a track's ranking, sorted and filtered. <paramref name="Families"/>: any of; <paramref name="Components"/>: all of;
/// <paramref name="Device"/> and <paramref name="Owner"/>: exactly.</summary>
public sealed record LeaderboardQuery(
    int Page = 1,
    int PageSize = LeaderboardQuery.DefaultPageSize,
    LeaderboardSort Sort = LeaderboardSort.Rank,
    bool Descending = false,
    IReadOnlyList<string>? Families = null,
    IReadOnlyList<string>? Components = null,
    string? Device = null,
    string? Owner = null)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public IReadOnlyList<string> Families { get; init; } = Families ?? [];
    public IReadOnlyList<string> Components { get; init; } = Components ?? [];

    /// <summary>The direction a column sorts in unless asked otherwise: best first for scores, cheapest first for costs.</summary>
    public static bool DescendingByDefault(LeaderboardSort sort) =>
        sort is LeaderboardSort.Top1 or LeaderboardSort.Top5 or LeaderboardSort.ImagesPerSecond or LeaderboardSort.SubmittedAt;
}

/// <param name="Total">Entries that match the filters.</param>
/// <param name="RankedTotal">All ranked entries of the track.</param>
/// <param name="Version">The track's <see cref="Track.LeaderboardVersion"/> the page was read at.</param>
public sealed record RankingPage(IReadOnlyList<LeaderboardEntry> Entries, int Total, int RankedTotal, long Version);

public static class LeaderboardQueries
{
    /// <summary>
    /// A page of a track's ranking, computed by PostgreSQL: each submission's best completed run (top-1, then top-5),
    /// ranked by top-1 then top-5 with equal scores sharing a rank (1, 2, 2, 4). The rank is the entry's place on the
    /// whole track, whatever the filters and sort. Ties in any sort are broken by rank, then the earlier submission.
    /// </summary>
    public static async Task<RankingPage> GetLeaderboardAsync(this LeaderboardDbContext db, int trackId, LeaderboardQuery query,
        CancellationToken cancellationToken = default)
    {
        var sql = $"""
            WITH {ScoresCte}, best AS (
                SELECT DISTINCT ON (s.id, res.heads) s.id AS submission_id, res.run_id, s.name, s.owner, res.top1, res.top5, res.params, res.gflops,
                       res.images_per_second, res.device, res.recipe_hash, s.created_at, res.train_seconds, s.model_family, s.components, res.heads
                FROM submissions s
                JOIN runs r ON r.submission_id = s.id AND r.status = 'Completed'
                JOIN scores res ON res.run_id = r.id
                WHERE s.track_id = @track
                ORDER BY s.id, res.heads, res.top1 DESC, res.top5 DESC, res.run_id
            ), ranked AS (
                SELECT best.*, rank() OVER (ORDER BY top1 DESC, top5 DESC)::int AS rank FROM best
            ), filtered AS (
                SELECT * FROM ranked
                WHERE (cardinality(@families) = 0 OR model_family = ANY(@families))
                  AND components @> @components
                  AND (@device::text IS NULL OR device = @device)
                  AND (@owner::text IS NULL OR owner = @owner)
            )
            SELECT (SELECT count(*) FROM filtered)::int, (SELECT count(*) FROM ranked)::int,
                   (SELECT leaderboard_version FROM tracks WHERE id = @track),
                   p.rank, p.submission_id, p.run_id, p.name, p.owner, p.top1, p.top5, p.params, p.gflops, p.images_per_second, p.device,
                   p.recipe_hash, p.created_at, p.train_seconds, p.model_family, p.components, p.heads
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (
                SELECT * FROM filtered ORDER BY {OrderBy(query)} LIMIT @limit OFFSET @offset
            ) p ON true
            """;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<int>("track", trackId));
            command.Parameters.Add(new NpgsqlParameter<string[]>("families", query.Families.ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<string[]>("components", query.Components.ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter("device", NpgsqlDbType.Text) { Value = (object?)query.Device ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("owner", NpgsqlDbType.Text) { Value = (object?)query.Owner ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter<int>("limit", query.PageSize));
            command.Parameters.Add(new NpgsqlParameter<long>("offset", (long)(query.Page - 1) * query.PageSize));

            var entries = new List<LeaderboardEntry>();
            int total = 0, rankedTotal = 0;
            long version = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                total = reader.GetInt32(0);
                rankedTotal = reader.GetInt32(1);
                version = reader.IsDBNull(2) ? 0 : reader.GetInt64(2);
                if (!reader.IsDBNull(3)) entries.Add(ReadEntry(reader, 3));
            }
            return new RankingPage(entries, total, rankedTotal, version);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    private static LeaderboardEntry ReadEntry(DbDataReader r, int i) => new(
        Rank: r.GetInt32(i),
        SubmissionId: r.GetInt64(i + 1),
        RunId: r.GetInt64(i + 2),
        Name: r.GetString(i + 3),
        Owner: r.IsDBNull(i + 4) ? null : r.GetString(i + 4),
        Top1: r.GetDouble(i + 5),
        Top5: r.GetDouble(i + 6),
        Params: r.GetInt64(i + 7),
        Gflops: r.GetDouble(i + 8),
        ImagesPerSecond: r.GetDouble(i + 9),
        Device: r.GetString(i + 10),
        RecipeHash: r.GetString(i + 11),
        SubmittedAt: r.GetFieldValue<DateTimeOffset>(i + 12),
        TrainSeconds: r.IsDBNull(i + 13) ? null : r.GetDouble(i + 13),
        Family: r.GetString(i + 14),
        Components: r.GetFieldValue<string[]>(i + 15),
        Heads: r.IsDBNull(i + 16) ? null : r.GetInt32(i + 16));

    /// <summary>
    /// The scores the ranking is made of: one per result, except that a HydraViT run (Haberer et al. 2024) scores each of its
    /// sub-networks (<c>result_subnetworks</c>, with their own params, GFLOPs and images/s): each becomes an entry of its own.
    /// </summary>
    private const string ScoresCte = """
        scores AS (
            SELECT res.run_id, NULL::int AS heads, res.top1, res.top5, res.params, res.gflops, res.images_per_second, res.device,
                   res.recipe_hash, res.train_seconds
            FROM results res
            WHERE NOT EXISTS (SELECT 1 FROM result_subnetworks sn WHERE sn.run_id = res.run_id)
            UNION ALL
            SELECT sn.run_id, sn.heads, sn.top1, sn.top5, sn.params, sn.gflops, sn.images_per_second, res.device,
                   res.recipe_hash, res.train_seconds
            FROM result_subnetworks sn JOIN results res ON res.run_id = sn.run_id
        )
        """;

    /// <summary>ORDER BY from the whitelisted sort column; rank then the earlier submission make every order total and stable.</summary>
    private static string OrderBy(LeaderboardQuery query)
    {
        var column = query.Sort switch
        {
            LeaderboardSort.Rank => "rank",
            LeaderboardSort.Top1 => "top1",
            LeaderboardSort.Top5 => "top5",
            LeaderboardSort.Params => "params",
            LeaderboardSort.Gflops => "gflops",
            LeaderboardSort.ImagesPerSecond => "images_per_second",
            LeaderboardSort.TrainSeconds => "train_seconds",
            LeaderboardSort.SubmittedAt => "created_at",
            LeaderboardSort.Name => "name",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Sort, "Unknown sort column."),
        };
        var direction = query.Descending ? "DESC NULLS LAST" : "ASC NULLS LAST";
        return $"{column} {direction}, rank, created_at, submission_id, heads";
    }

    /// <summary>The track's published reference results, in display order.</summary>
    public static async Task<IReadOnlyList<ReportedResult>> GetReportedResultsAsync(this LeaderboardDbContext db, int trackId,
        CancellationToken cancellationToken = default) =>
        await db.ReportedResults.AsNoTracking().Where(r => r.TrackId == trackId).OrderBy(r => r.Position).ThenBy(r => r.Id)
            .ToListAsync(cancellationToken);
}

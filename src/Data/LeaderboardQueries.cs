using System.Data;
using System.Data.Common;
using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Leaderboard.Data;

/// <summary>
/// One submission's row. <paramref name="Top1"/> and <paramref name="Top5"/> are means over its completed seed runs (one
/// sample per seed: the seed's first completed run); the other metrics are those of its best seed run (<paramref name="RunId"/>).
/// </summary>
/// <param name="Seeds">n: the seeds with a completed run.</param>
/// <param name="SingleSeed">n = 1: no spread, no interval, no significance test.</param>
/// <param name="Top1StdDev">The sample standard deviation of top-1 over the seeds (n ≥ 2).</param>
/// <param name="Top1Ci95">Half the width of the 95 % confidence interval of the mean top-1 (Student t, n − 1 dof; n ≥ 2).</param>
/// <param name="GapToAboveSignificant">Whether the mean differs from the entry ranked just above at the 5 % level (Welch's
/// t-test); null for the first entry or when either has a single seed.</param>
/// <param name="GapPValue">That test's two-sided p-value.</param>
/// <param name="Verification">The latest re-run of one of its seeds, if any.</param>
/// <param name="RulesVersion">The track rules its best seed run trained under (null: not recorded).</param>
/// <param name="OtherRules">Some seed run trained under other rules than the track's current ones (a budget or data change):
/// the row is not comparable with rows under the current rules, and it cannot be re-run as it was.</param>
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
    string? HardwareClass = null,
    double? CalibrationScore = null,
    int Seeds = 1,
    bool SingleSeed = true,
    double? Top1StdDev = null,
    double? Top1Ci95 = null,
    bool? GapToAboveSignificant = null,
    double? GapPValue = null,
    RowVerification? Verification = null,
    int? Heads = null,
    string? RulesVersion = null,
    bool OtherRules = false);

/// <summary>
/// A re-run of a seed that already had a completed run. <paramref name="Verified"/>: its top-1 lies within the row's 95 %
/// interval (n ≥ 2) or within <see cref="RowVerification.SingleSeedTolerance"/> points of a single-seed row's top-1.
/// <paramref name="OtherCodeVersion"/>: it ran on another code version than the run it repeats (false when they match or either is unknown).
/// </summary>
public sealed record RowVerification(long RunId, long Seed, double Top1, bool Verified, string? CodeVersion, string? OriginalCodeVersion,
    bool OtherCodeVersion)
{
    /// <summary>
    /// Percentage points a single-seed row's re-run may differ by and still verify it: a run of the same seed on the same code
    /// differs only by the steps its budget allowed, which on the platform's tracks moves top-1 by well under a point.
    /// </summary>
    public const double SingleSeedTolerance = 1.0;

    /// <summary>The verdict on re-run <paramref name="runId"/> of a row with these seeds.</summary>
    public static RowVerification Of(SeedSummary seeds, long runId, long seed, double top1, string? codeVersion, string? originalCodeVersion)
    {
        var tolerance = seeds.Ci95HalfWidth ?? SingleSeedTolerance;
        return new RowVerification(runId, seed, top1, Math.Abs(top1 - seeds.Mean) <= tolerance, codeVersion, originalCodeVersion,
            codeVersion is not null && originalCodeVersion is not null && codeVersion != originalCodeVersion);
    }
}

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
/// <paramref name="Device"/>, <paramref name="Owner"/> and <paramref name="Hardware"/> (the hardware class: GPU model, or CPU model on a CPU track): exactly;
/// <paramref name="CurrentRulesOnly"/>: only entries whose every seed trained under the track's current rules.</summary>
public sealed record LeaderboardQuery(
    int Page = 1,
    int PageSize = LeaderboardQuery.DefaultPageSize,
    LeaderboardSort Sort = LeaderboardSort.Rank,
    bool Descending = false,
    IReadOnlyList<string>? Families = null,
    IReadOnlyList<string>? Components = null,
    string? Device = null,
    string? Owner = null,
    string? Hardware = null,
    bool CurrentRulesOnly = false)
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
    /// A page of a track's ranking, computed by PostgreSQL: each submission's seed samples (per seed, its first completed
    /// run), ranked by mean top-1 then mean top-5 with equal scores sharing a rank (1, 2, 2, 4). The rank is the entry's
    /// place on the whole track, whatever the filters and sort; so is the entry "above" a significance test compares with.
    /// Ties in any sort are broken by rank, then the earlier submission. Intervals and tests are computed here from n,
    /// means and standard deviations (<see cref="SeedSummary"/>).
    /// </summary>
    public static async Task<RankingPage> GetLeaderboardAsync(this LeaderboardDbContext db, int trackId, LeaderboardQuery query,
        CancellationToken cancellationToken = default)
    {
        var sql = $"""
            WITH {ScoresCte}, samples AS (
                -- Each seed's sample: its first completed run (per HydraViT sub-network: each k is an entry of its own).
                SELECT DISTINCT ON (r.submission_id, sc.heads, r.seed) r.submission_id, sc.heads, r.seed, sc.run_id, sc.top1, sc.top5,
                       sc.params, sc.gflops, sc.images_per_second, sc.device, sc.train_seconds, sc.code_version, sc.hardware_class,
                       sc.calibration_score, sc.rules_version
                FROM submissions s
                JOIN runs r ON r.submission_id = s.id AND r.status = 'Completed'
                JOIN scores sc ON sc.run_id = r.id
                WHERE s.track_id = @track
                ORDER BY r.submission_id, sc.heads, r.seed, r.id
            ), stats AS (
                -- Unrecorded rules (results older than provenance were backfilled, so only hand-made rows) are not marked.
                SELECT submission_id, heads, count(*)::int AS n, avg(top1) AS top1, avg(top5) AS top5, stddev_samp(top1) AS top1_sd,
                       coalesce(bool_or(rules_version <> (SELECT rules_version FROM tracks WHERE id = @track)), false) AS other_rules
                FROM samples GROUP BY submission_id, heads
            ), best AS (
                SELECT DISTINCT ON (submission_id, heads) * FROM samples ORDER BY submission_id, heads, top1 DESC, top5 DESC, run_id
            ), verification AS (
                -- The latest completed run of a seed that already had its sample: a re-run.
                SELECT DISTINCT ON (r.submission_id, sample.heads) r.submission_id, sample.heads, r.id AS run_id, r.seed, sc.top1,
                       sc.code_version, sample.code_version AS original_code_version
                FROM samples sample
                JOIN runs r ON r.submission_id = sample.submission_id AND r.seed = sample.seed AND r.status = 'Completed' AND r.id <> sample.run_id
                JOIN scores sc ON sc.run_id = r.id AND sc.heads IS NOT DISTINCT FROM sample.heads
                ORDER BY r.submission_id, sample.heads, r.id DESC
            ), entries AS (
                SELECT s.id AS submission_id, st.heads, b.run_id, s.name, s.owner, st.top1, st.top5, b.params, b.gflops, b.images_per_second, b.device,
                       s.recipe_hash, s.created_at, b.train_seconds, s.model_family, s.components, st.n, st.top1_sd,
                       b.hardware_class, b.calibration_score, b.rules_version, st.other_rules,
                       v.run_id AS verification_run_id, v.seed AS verification_seed, v.top1 AS verification_top1,
                       v.code_version AS verification_code_version, v.original_code_version
                FROM stats st
                JOIN submissions s ON s.id = st.submission_id
                JOIN best b ON b.submission_id = st.submission_id AND b.heads IS NOT DISTINCT FROM st.heads
                LEFT JOIN verification v ON v.submission_id = st.submission_id AND v.heads IS NOT DISTINCT FROM st.heads
            ), ranked AS (
                SELECT entries.*, rank() OVER (ORDER BY top1 DESC, top5 DESC)::int AS rank,
                       lag(n) OVER above AS above_n, lag(top1) OVER above AS above_top1, lag(top1_sd) OVER above AS above_top1_sd
                FROM entries
                WINDOW above AS (ORDER BY top1 DESC, top5 DESC, created_at, submission_id, heads)
            ), filtered AS (
                SELECT * FROM ranked
                WHERE (cardinality(@families) = 0 OR model_family = ANY(@families))
                  AND components @> @components
                  AND (@device::text IS NULL OR device = @device)
                  AND (@owner::text IS NULL OR owner = @owner)
                  AND (@hardware::text IS NULL OR hardware_class = @hardware)
                  AND NOT (@current_rules_only AND other_rules)
            )
            SELECT (SELECT count(*) FROM filtered)::int AS total, (SELECT count(*) FROM ranked)::int AS ranked_total,
                   (SELECT leaderboard_version FROM tracks WHERE id = @track) AS version,
                   p.rank, p.submission_id, p.run_id, p.name, p.owner, p.top1, p.top5, p.params, p.gflops, p.images_per_second, p.device,
                   p.recipe_hash, p.created_at, p.train_seconds, p.model_family, p.components,
                   p.n, p.top1_sd, p.above_n, p.above_top1, p.above_top1_sd,
                   p.verification_run_id, p.verification_seed, p.verification_top1, p.verification_code_version, p.original_code_version,
                   p.hardware_class, p.calibration_score, p.heads, p.rules_version, p.other_rules
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (
                SELECT * FROM filtered ORDER BY {OrderBy(query)} LIMIT @limit OFFSET @offset
            ) p ON true
            """;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened) await connection.OpenAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<int>("track", trackId));
            command.Parameters.Add(new NpgsqlParameter<string[]>("families", query.Families.ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<string[]>("components", query.Components.ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter("device", NpgsqlDbType.Text) { Value = (object?)query.Device ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("owner", NpgsqlDbType.Text) { Value = (object?)query.Owner ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("hardware", NpgsqlDbType.Text) { Value = (object?)query.Hardware ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter<bool>("current_rules_only", query.CurrentRulesOnly));
            command.Parameters.Add(new NpgsqlParameter<int>("limit", query.PageSize));
            command.Parameters.Add(new NpgsqlParameter<long>("offset", (long)(query.Page - 1) * query.PageSize));

            var entries = new List<LeaderboardEntry>();
            int total = 0, rankedTotal = 0;
            long version = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                total = reader.GetFieldValue<int>("total");
                rankedTotal = reader.GetFieldValue<int>("ranked_total");
                version = reader.IsDBNull("version") ? 0 : reader.GetFieldValue<long>("version");
                if (!reader.IsDBNull("rank")) entries.Add(ReadEntry(reader));
            }
            return new RankingPage(entries, total, rankedTotal, version);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    private static LeaderboardEntry ReadEntry(DbDataReader r)
    {
        var seeds = new SeedSummary(r.GetFieldValue<int>("n"), r.GetFieldValue<double>("top1"), NullableValue<double>(r, "top1_sd"));
        SeedSummary? above = r.IsDBNull("above_n") ? null
            : new SeedSummary(r.GetFieldValue<int>("above_n"), r.GetFieldValue<double>("above_top1"), NullableValue<double>(r, "above_top1_sd"));
        var pValue = above is null ? null : seeds.WelchPValue(above);
        return new(
            Rank: r.GetFieldValue<int>("rank"),
            SubmissionId: r.GetFieldValue<long>("submission_id"),
            RunId: r.GetFieldValue<long>("run_id"),
            Name: r.GetFieldValue<string>("name"),
            Owner: NullableReference<string>(r, "owner"),
            Top1: seeds.Mean,
            Top5: r.GetFieldValue<double>("top5"),
            Params: r.GetFieldValue<long>("params"),
            Gflops: r.GetFieldValue<double>("gflops"),
            ImagesPerSecond: r.GetFieldValue<double>("images_per_second"),
            Device: r.GetFieldValue<string>("device"),
            RecipeHash: r.GetFieldValue<string>("recipe_hash"),
            SubmittedAt: r.GetFieldValue<DateTimeOffset>("created_at"),
            TrainSeconds: NullableValue<double>(r, "train_seconds"),
            Family: r.GetFieldValue<string>("model_family"),
            Components: r.GetFieldValue<string[]>("components"),
            Seeds: seeds.N,
            SingleSeed: seeds.N == 1,
            Top1StdDev: seeds.StdDev,
            Top1Ci95: seeds.Ci95HalfWidth,
            GapToAboveSignificant: pValue is { } p ? p < SignificanceLevel : null,
            GapPValue: pValue,
            Verification: r.IsDBNull("verification_run_id") ? null : RowVerification.Of(seeds, r.GetFieldValue<long>("verification_run_id"),
                r.GetFieldValue<long>("verification_seed"), r.GetFieldValue<double>("verification_top1"),
                NullableReference<string>(r, "verification_code_version"), NullableReference<string>(r, "original_code_version")),
            HardwareClass: NullableReference<string>(r, "hardware_class"),
            CalibrationScore: NullableValue<double>(r, "calibration_score"),
            Heads: NullableValue<int>(r, "heads"),
            RulesVersion: NullableReference<string>(r, "rules_version"),
            OtherRules: r.GetFieldValue<bool>("other_rules"));
    }

    /// <summary>The level of the two-sided test of the gap to the entry above.</summary>
    public const double SignificanceLevel = 0.05;

    private static T? NullableValue<T>(DbDataReader r, string column) where T : struct => r.IsDBNull(column) ? null : r.GetFieldValue<T>(column);

    private static T? NullableReference<T>(DbDataReader r, string column) where T : class => r.IsDBNull(column) ? null : r.GetFieldValue<T>(column);

    /// <summary>
    /// The scores the ranking is made of, with their result's provenance: one per result, except that a HydraViT run (Haberer
    /// et al. 2024) scores each of its sub-networks (<c>result_subnetworks</c>, with their own params, GFLOPs and images/s):
    /// each becomes an entry of its own.
    /// </summary>
    private const string ScoresCte = """
        scores AS (
            SELECT res.run_id, NULL::int AS heads, res.top1, res.top5, res.params, res.gflops, res.images_per_second, res.device,
                   res.train_seconds, res.code_version, coalesce(res.gpu_model, res.cpu_model) AS hardware_class, res.calibration_score,
                   res.rules_version
            FROM results res
            WHERE NOT EXISTS (SELECT 1 FROM result_subnetworks sn WHERE sn.run_id = res.run_id)
            UNION ALL
            SELECT sn.run_id, sn.heads, sn.top1, sn.top5, sn.params, sn.gflops, sn.images_per_second, res.device,
                   res.train_seconds, res.code_version, coalesce(res.gpu_model, res.cpu_model) AS hardware_class, res.calibration_score,
                   res.rules_version
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

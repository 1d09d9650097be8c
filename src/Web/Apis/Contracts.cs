using Leaderboard.Web.Features.Queue;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Features.Leaderboards;

namespace Leaderboard.Web.Apis;

// The REST API's shapes (/api/v1). Field names are contracts clients rely on: extend, never rename.

public sealed record TrackDto(string Slug, string Name, string Description, string Dataset, int NumClasses, int TrainImages,
    int BudgetSeconds, string Hardware, int MaxImageSize, string RulesVersion, string BudgetMode, double? ReferenceScore, int MaxSeeds)
{
    public static TrackDto From(Track t) => new(t.Slug, t.Name, t.Description, t.Dataset, t.NumClasses, t.TrainImages, t.BudgetSeconds,
        t.Hardware, t.MaxImageSize, t.RulesVersion, t.BudgetMode, t.ReferenceScore, t.MaxSeeds);
}

/// <summary>
/// A page of a track's ranking. <c>total</c>: entries matching the filters; <c>rankedTotal</c>: all ranked entries;
/// <c>reported</c>: published reference results, shown for context and never ranked.
/// </summary>
public sealed record LeaderboardDto(TrackDto Track, IReadOnlyList<LeaderboardEntry> Entries, int Page, int PageSize, int Total, int TotalPages,
    int RankedTotal, string Sort, string Order, LeaderboardFiltersDto Filters, IReadOnlyList<ReportedResultDto> Reported)
{
    public static LeaderboardDto From(Track track, RankingPage page, LeaderboardRequest request, IReadOnlyList<ReportedResult> reported)
    {
        var query = request.Query;
        return new(TrackDto.From(track), page.Entries, query.Page, query.PageSize, page.Total, (page.Total + query.PageSize - 1) / query.PageSize,
            page.RankedTotal, request.SortName, request.Order, new LeaderboardFiltersDto(query.Families, query.Components, query.Device, query.Owner, query.Hardware,
                query.CurrentRulesOnly ? "current" : "all"),
            reported.Select(ReportedResultDto.From).ToList());
    }
}

public sealed record LeaderboardFiltersDto(IReadOnlyList<string> Family, IReadOnlyList<string> Component, string? Device, string? Owner, string? Hardware,
    string Rules);

/// <summary>A published result (<c>kind</c> is always "reported"): not a run of this platform, never ranked.</summary>
public sealed record ReportedResultDto(string Kind, string Name, double Top1, double? Top5, long? Params, double? Gflops, string Setting,
    bool WithinTrackRules, string Source, string? SourceUrl)
{
    public const string ReportedKind = "reported";

    public static ReportedResultDto From(ReportedResult r) =>
        new(ReportedKind, r.Name, r.Top1, r.Top5, r.Params, r.Gflops, r.Setting, r.WithinTrackRules, r.Source, r.SourceUrl);
}

public sealed record RecipeTemplateDto(string Name, string Description, string Recipe);

public sealed record ValidateRecipeRequest(string? Track, string? Recipe);

public sealed record EstimateDto(long Params, double Gflops, IReadOnlyList<SizeCostDto> PerSize, double? ExpectedEpochs, double? ExpectedImagesPerSecond)
{
    /// <summary>HydraViT: params, GFLOPs and sampling probability of each sub-network (empty for other models).</summary>
    public IReadOnlyList<HeadsCost> PerHeads { get; init; } = [];

    public static EstimateDto From(CostEstimate e) =>
        new(e.Params, e.Gflops, e.PerSize.Select(s => new SizeCostDto(s.ImageSize, s.Gflops)).ToList(), e.ExpectedEpochs, e.ExpectedImagesPerSecond)
        {
            PerHeads = e.PerHeads,
        };
}

public sealed record SizeCostDto(int ImageSize, double Gflops);

public sealed record ValidateRecipeResponse(bool Valid, string RecipeHash, string Canonical, EstimateDto Estimate);

/// <param name="Seeds">The seeds asked for at submission (one run each).</param>
/// <param name="Runs">Every run with its seed, oldest first (re-runs included).</param>
public sealed record SubmissionDto(long Id, long RunId, string Track, string Name, string? Owner, string RecipeHash, string Recipe,
    string Status, long EstimatedParams, double EstimatedGflops, DateTimeOffset CreatedAt, IReadOnlyList<long> RunIds, int Seeds,
    IReadOnlyList<SeedRunDto> Runs)
{
    public static SubmissionDto From(Submission s, Run latest) => new(s.Id, latest.Id, s.Track.Slug, s.Name, s.Owner, s.RecipeHash, s.RecipeText,
        latest.Status.ToString(), s.EstimatedParams, s.EstimatedGflops, s.CreatedAt, s.Runs.Select(r => r.Id).Order().ToList(), s.Seeds,
        s.Runs.OrderBy(r => r.Id).Select(r => new SeedRunDto(r.Id, r.Seed, r.Status.ToString())).ToList());
}

public sealed record SeedRunDto(long Id, long Seed, string Status);

public sealed record ProgressDto(double? Elapsed, long? Step, double? Epoch, int? ImageSize, double? Loss, double? ImagesPerSecond);

/// <param name="TrainSeconds">Budget seconds the scored checkpoint had spent, in the budget mode's measure (wall, CPU or reference seconds).</param>
public sealed record ResultDto(double Top1, double Top5, int EvalImages, long Params, double Gflops, int EvalImageSize, double ImagesPerSecond,
    double? TrainSeconds, string Device, string? Library, string RecipeHash, long Seed, string? CodeVersion, ProvenanceDto Provenance)
{
    public static ResultDto From(Result r) => new(r.Top1, r.Top5, r.EvalImages, r.Params, r.Gflops, r.EvalImageSize, r.ImagesPerSecond,
        r.TrainSeconds, r.Device, r.Library, r.RecipeHash, r.Seed, r.CodeVersion, ProvenanceDto.From(r));
}

/// <summary>
/// Where and under which rules a result was trained: the node's hardware fingerprint, the track's rules version and
/// budget mode, the node's calibration score (the library versions, code version, recipe hash and seed are beside it).
/// </summary>
public sealed record ProvenanceDto(string? BudgetMode, double? CalibrationScore, string? RulesVersion, string? HardwareClass, string? GpuModel,
    string? GpuDriver, string? CudaVersion, double? GpuPowerLimitWatts, int? GpuMemoryMib, string? CpuModel, int? CpuCores)
{
    public static ProvenanceDto From(Result r) => new(r.BudgetMode, r.CalibrationScore, r.RulesVersion, r.HardwareClass, r.GpuModel, r.GpuDriver,
        r.CudaVersion, r.GpuPowerLimitWatts, r.GpuMemoryMib, r.CpuModel, r.CpuCores);
}

/// <param name="FailureClass">User | Platform for a failed run (Platform also on a run re-queued after a platform fault).</param>
/// <param name="QueuePosition">While queued: 1 = next to start among the runs of its hardware class.</param>
/// <param name="EstimatedStart">While queued: when it should start; null while no node serves its hardware class.</param>
public sealed record RunDto(long Id, string Status, long SubmissionId, string Track, int BudgetSeconds, DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? Deadline, DateTimeOffset? FinishedAt, string? FailureReason, string? FailureClass, int Attempt, string? Worker,
    int? QueuePosition, DateTimeOffset? EstimatedStart, ProgressDto Progress, ResultDto? Result, long Seed, DateTimeOffset? ExpectedFinish)
{
    public static RunDto From(Run r, QueuedRunView? queued = null) => new(r.Id, r.Status.ToString(), r.SubmissionId, r.Submission.Track.Slug,
        r.Submission.Track.BudgetSeconds, r.QueuedAt, r.StartedAt, r.Deadline, r.FinishedAt, r.FailureReason, r.FailureClass?.ToString(), r.Attempt, r.Worker,
        queued?.Position, queued?.EstimatedStart,
        new ProgressDto(r.Elapsed, r.Step, r.Epoch, r.ImageSize, r.Loss, r.ImagesPerSecond),
        r.Result is null ? null : ResultDto.From(r.Result), r.Seed, r.ExpectedFinish);
}

public sealed record LogLineDto(long Id, int Attempt, string Stream, string Text, DateTimeOffset RecordedAt)
{
    public static LogLineDto From(RunLogLine l) => new(l.Id, l.Attempt, l.Stream, l.Text, l.RecordedAt);
}

public sealed record MetricDto(long Id, string Event, double Elapsed, long? Step, double? Epoch, int? ImageSize, double? Loss, double? Lr,
    double? ImagesPerSecond, double? DataWait, double? TrainTop1, string? Message)
{
    public static MetricDto From(RunMetric m) => new(m.Id, m.Event, m.Elapsed, m.Step, m.Epoch, m.ImageSize, m.Loss, m.Lr, m.ImagesPerSecond,
        m.DataWait, m.TrainTop1, m.Message);
}

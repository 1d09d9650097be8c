using System.Security.Claims;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Jobs;
using Leaderboard.Training.Recipes;
using Leaderboard.Web.Extensions;
using Leaderboard.Web.Features.Accounts;
using Leaderboard.Web.Features.Quotas;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Features.Submissions;

/// <param name="Seeds">How many seeds to train (default 1, at most the track's cap): runs with the recipe's seed, seed + 1, ….</param>
public sealed record SubmissionRequest(string? Track, string? Name, string? Recipe, int? Seeds = null);

/// <summary>What a submission attempt produced: the stored submission and its first queued run (all in its Runs), field-level errors, or a quota refusal.</summary>
public sealed record SubmissionOutcome(Submission? Submission, Run? Run, IReadOnlyDictionary<string, string[]> Errors, CostEstimate? Estimate,
    QuotaRefusal? Refusal = null)
{
    public bool Succeeded => Submission is not null;
}

public enum RerunStatus { Queued, NotFound, Forbidden, StillActive, OverQuota, RulesChanged }

/// <param name="RulesVersion">With <see cref="RerunStatus.RulesChanged"/>: the rules the row was trained under.</param>
public sealed record RerunOutcome(RerunStatus Status, Run? Run = null, QuotaRefusal? Refusal = null, string? RulesVersion = null)
{
    /// <summary>Why a row trained under other rules than the track's current ones is not run again (the page and the API say it).</summary>
    public string RulesChangedMessage => $"It was trained under rules v{RulesVersion} and the track now runs other rules, so a new run " +
        "would not repeat it. Submit the recipe again to be ranked under the current rules.";
}

/// <summary>
/// Validates and stores a submission and queues its run, or queues a new run of an existing one (the form and the API
/// share it). Nothing is stored when the request is invalid or over quota, and a run that could not be queued is removed again.
/// </summary>
public sealed class SubmissionService(IDbContextFactory<LeaderboardDbContext> dbFactory, RunQueue queue, RunQuotas quotas,
    IAuthorizationService authorization, TimeProvider clock, ILogger<SubmissionService> logger)
{
    public const int MaxNameLength = 200;
    public const int MaxTrackLength = 64;
    public const int MaxRecipeLength = 64 * 1024;

    public async Task<SubmissionOutcome> SubmitAsync(SubmissionRequest request, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var ownerId = user.UserId() ?? throw new InvalidOperationException("Submissions need a signed-in user (the endpoint requires one).");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = ["A name is required."];
        else InputRules.CheckText(errors, "name", name, MaxNameLength);
        InputRules.CheckText(errors, RecipeCheck.WholeRecipeKey, request.Recipe, MaxRecipeLength, multiline: true);
        var track = !InputRules.CheckText(errors, "track", request.Track, MaxTrackLength) || string.IsNullOrWhiteSpace(request.Track) ? null
            : await db.Tracks.SingleOrDefaultAsync(t => t.Slug == request.Track, cancellationToken);
        if (track is null && !errors.ContainsKey("track"))
            errors["track"] = [string.IsNullOrWhiteSpace(request.Track) ? "A track is required." : $"Unknown track '{request.Track}'."];
        if (track is not null) CheckSeeds(errors, request.Seeds, track);
        if (track is null || errors.Count > 0) return new(null, null, errors, null);

        var check = RecipeCheck.Run(track, request.Recipe);
        if (!check.IsValid) return new(null, null, check.Errors, null);
        if (check.Recipe!.Training.Distillation is { } distillation)
        {
            check = await WithTeacherAsync(db, check, track, distillation.TeacherRun, cancellationToken);
            if (!check.IsValid) return new(null, null, check.Errors, null);
        }

        var recipe = check.Recipe!;
        var now = clock.GetUtcNow();
        var submission = new Submission
        {
            TrackId = track.Id,
            Name = name!,
            OwnerId = ownerId,
            Owner = user.Identity?.Name,
            RecipeText = request.Recipe!,
            RecipeCanonical = RecipeCanonical.ToCanonicalJson(recipe),
            RecipeHash = RecipeCanonical.Hash(recipe),
            EstimatedParams = check.Estimate!.Params,
            EstimatedGflops = check.Estimate.Gflops,
            CreatedAt = now,
            Seeds = request.Seeds ?? 1,
        };
        var runs = Enumerable.Range(0, submission.Seeds)
            .Select(i => new Run { Submission = submission, Seed = recipe.Seed + i, Status = RunStatus.Queued, QueuedAt = now }).ToList();
        submission.Runs = runs;
        if (await StoreWithinQuotaAsync(db, ownerId, track, runs, cancellationToken) is { } refusal) return new(null, null, errors, null, refusal);
        await QueueOrUndoAsync(db, runs, track, undo: () => db.Submissions.Remove(submission));
        submission.Track = track;
        return new(submission, runs[0], errors, check.Estimate);
    }

    /// <summary>Field error under "seeds" unless 1 ≤ seeds ≤ the track's cap (absent: 1).</summary>
    private static void CheckSeeds(Dictionary<string, string[]> errors, int? seeds, Track track)
    {
        var n = seeds ?? 1;
        if (n >= 1 && n <= track.MaxSeeds) return;
        errors["seeds"] = [n < 1
            ? $"must be at least 1, got {seeds}"
            : $"at most {track.MaxSeeds} seeds on {track.Slug} (each seed is a run of the full budget), got {seeds}"];
    }

    /// <summary>
    /// DeiT distillation (Touvron et al. 2021) learns from an earlier run: it must be a completed run on the same track with a
    /// checkpoint (never the val split); the estimate then pays the teacher's forward pass on every training image.
    /// </summary>
    private static async Task<RecipeCheck> WithTeacherAsync(LeaderboardDbContext db, RecipeCheck check, Track track, long teacherRunId, CancellationToken cancellationToken)
    {
        const string field = "training.distillation.teacher_run";
        var teacher = await db.Runs.AsNoTracking().Include(r => r.Submission)
            .SingleOrDefaultAsync(r => r.Id == teacherRunId, cancellationToken);
        string? problem = teacher switch
        {
            null => $"run {teacherRunId} does not exist: name a completed run of this track",
            _ when teacher.Submission.TrackId != track.Id => $"run {teacherRunId} was trained on another track; a teacher must come from {track.Slug}",
            _ when teacher.Status != RunStatus.Completed || teacher.CheckpointPath is null =>
                $"run {teacherRunId} is {teacher.Status.ToString().ToLowerInvariant()}; a teacher must be a completed run with a checkpoint",
            _ => null,
        };
        if (problem is not null) return check with { Estimate = null, Errors = new Dictionary<string, string[]> { [field] = [problem] } };
        var teacherModel = RecipeParser.Parse(teacher!.Submission.RecipeCanonical).Recipe!.Model;
        return check with { Estimate = CostEstimator.Estimate(check.Recipe!, RecipeCheck.TrackInfoOf(track), teacher: teacherModel) };
    }

    /// <summary>
    /// Queues a new run of a submission's pinned recipe (its stored canonical form) for its owner or an admin, when none of
    /// its runs is unfinished: with the seed of run <paramref name="ofRunId"/> (which must be the submission's), or the
    /// submission's first seed. A re-run of a seed that already has a completed run verifies the row
    /// (<see cref="RowVerification"/>); one of a seed that has none (it failed) becomes that seed's sample.
    /// </summary>
    public async Task<RerunOutcome> RerunAsync(long submissionId, long? ofRunId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var submission = await db.Submissions.Include(s => s.Track).Include(s => s.Runs).ThenInclude(r => r.Result)
            .SingleOrDefaultAsync(s => s.Id == submissionId, cancellationToken);
        if (submission is null) return new(RerunStatus.NotFound);
        var seed = ofRunId is { } runId ? submission.Runs.SingleOrDefault(r => r.Id == runId)?.Seed : submission.Runs.Min(r => r.Seed);
        if (seed is null) return new(RerunStatus.NotFound);
        if (!(await authorization.AuthorizeAsync(user, submission, ManageSubmissionRequirement.Policy)).Succeeded) return new(RerunStatus.Forbidden);
        if (submission.Runs.Any(r => !r.IsFinished)) return new(RerunStatus.StillActive);
        // A re-run repeats the row under its pinned rules; the worker can only apply the track's current ones.
        var sample = submission.Runs.Where(r => r.Seed == seed && r.Result is not null).MinBy(r => r.Id);
        if (sample?.Result?.RulesVersion is { } rules && rules != submission.Track.RulesVersion)
            return new(RerunStatus.RulesChanged, RulesVersion: rules);

        // Charged to the submission's author (an admin re-running someone's recipe spends the author's quota).
        var run = new Run { SubmissionId = submission.Id, Seed = seed.Value, Status = RunStatus.Queued, QueuedAt = clock.GetUtcNow() };
        var ownerId = submission.OwnerId ?? user.UserId()!;
        if (await StoreWithinQuotaAsync(db, ownerId, submission.Track, [run], cancellationToken) is { } refusal) return new(RerunStatus.OverQuota, Refusal: refusal);
        await QueueOrUndoAsync(db, [run], submission.Track, undo: () => db.Runs.Remove(run));
        run.Submission = submission;
        return new(RerunStatus.Queued, run);
    }

    private async Task<QuotaRefusal?> StoreWithinQuotaAsync(LeaderboardDbContext db, string ownerId, Track track, List<Run> runs, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RunQuotas.LockAsync(db, ownerId, track.Id, cancellationToken);
        if (await quotas.CheckAsync(db, ownerId, track, cancellationToken, newRuns: runs.Count) is { } refusal) return refusal;
        db.Runs.AddRange(runs);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    private async Task QueueOrUndoAsync(LeaderboardDbContext db, List<Run> runs, Track track, Action undo)
    {
        try
        {
            foreach (var run in runs) run.JobId = queue.Enqueue(run.Id, track.Hardware);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is Hangfire.BackgroundJobClientException or Npgsql.NpgsqlException or DbUpdateException)
        {
            logger.LogError(exception, "Could not queue runs {RunIds}; removing them again", string.Join(", ", runs.Select(r => r.Id)));
            foreach (var jobId in runs.Select(r => r.JobId).OfType<string>()) queue.Delete(jobId);
            undo();
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }
}

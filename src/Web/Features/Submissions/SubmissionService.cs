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

public sealed record SubmissionRequest(string? Track, string? Name, string? Recipe);

/// <summary>What a submission attempt produced: the stored submission and its queued run, field-level errors, or a quota refusal.</summary>
public sealed record SubmissionOutcome(Submission? Submission, Run? Run, IReadOnlyDictionary<string, string[]> Errors, CostEstimate? Estimate,
    QuotaRefusal? Refusal = null)
{
    public bool Succeeded => Submission is not null;
}

public enum RerunStatus { Queued, NotFound, Forbidden, StillActive, OverQuota }

public sealed record RerunOutcome(RerunStatus Status, Run? Run = null, QuotaRefusal? Refusal = null);

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
        };
        var run = new Run { Submission = submission, Status = RunStatus.Queued, QueuedAt = now };
        if (await StoreWithinQuotaAsync(db, ownerId, track, run, cancellationToken) is { } refusal) return new(null, null, errors, null, refusal);
        await QueueOrUndoAsync(db, run, track, undo: () => db.Submissions.Remove(submission));
        submission.Track = track;
        return new(submission, run, errors, check.Estimate);
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

    /// <summary>Queues a new run of a submission's recipe, for its owner or an admin, when its last run has finished.</summary>
    public async Task<RerunOutcome> RerunAsync(long submissionId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var submission = await db.Submissions.Include(s => s.Track).Include(s => s.Runs).SingleOrDefaultAsync(s => s.Id == submissionId, cancellationToken);
        if (submission is null) return new(RerunStatus.NotFound);
        if (!(await authorization.AuthorizeAsync(user, submission, ManageSubmissionRequirement.Policy)).Succeeded) return new(RerunStatus.Forbidden);
        if (submission.Runs.Any(r => !r.IsFinished)) return new(RerunStatus.StillActive);

        // Charged to the submission's author (an admin re-running someone's recipe spends the author's quota).
        var run = new Run { SubmissionId = submission.Id, Status = RunStatus.Queued, QueuedAt = clock.GetUtcNow() };
        var ownerId = submission.OwnerId ?? user.UserId()!;
        if (await StoreWithinQuotaAsync(db, ownerId, submission.Track, run, cancellationToken) is { } refusal) return new(RerunStatus.OverQuota, Refusal: refusal);
        await QueueOrUndoAsync(db, run, submission.Track, undo: () => db.Runs.Remove(run));
        run.Submission = submission;
        return new(RerunStatus.Queued, run);
    }

    private async Task<QuotaRefusal?> StoreWithinQuotaAsync(LeaderboardDbContext db, string ownerId, Track track, Run run, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RunQuotas.LockAsync(db, ownerId, track.Id, cancellationToken);
        if (await quotas.CheckAsync(db, ownerId, track, cancellationToken) is { } refusal) return refusal;
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    private async Task QueueOrUndoAsync(LeaderboardDbContext db, Run run, Track track, Action undo)
    {
        try
        {
            run.JobId = queue.Enqueue(run.Id, track.Hardware);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is Hangfire.BackgroundJobClientException or Npgsql.NpgsqlException or DbUpdateException)
        {
            logger.LogError(exception, "Could not queue run {RunId}; removing it again", run.Id);
            if (run.JobId is { } jobId) queue.Delete(jobId);
            undo();
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }
}

using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Jobs;
using Leaderboard.Training.Recipes;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Features.Submissions;

public sealed record SubmissionRequest(string? Track, string? Name, string? Recipe);

/// <summary>What a submission attempt produced: the stored submission and its queued run, or field-level errors.</summary>
public sealed record SubmissionOutcome(Submission? Submission, Run? Run, IReadOnlyDictionary<string, string[]> Errors, CostEstimate? Estimate)
{
    public bool Succeeded => Submission is not null;
}

/// <summary>
/// Validates and stores a submission and queues its run (the form and the API share it). Nothing is stored when the
/// request is invalid, and a submission whose run could not be queued is removed again.
/// </summary>
public sealed class SubmissionService(IDbContextFactory<LeaderboardDbContext> dbFactory, RunQueue queue, TimeProvider clock, ILogger<SubmissionService> logger)
{
    public const int MaxNameLength = 200;
    public const int MaxRecipeLength = 64 * 1024;

    public async Task<SubmissionOutcome> SubmitAsync(SubmissionRequest request, string? owner, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>();
        var track = string.IsNullOrWhiteSpace(request.Track) ? null
            : await db.Tracks.SingleOrDefaultAsync(t => t.Slug == request.Track, cancellationToken);
        if (track is null)
            errors["track"] = [string.IsNullOrWhiteSpace(request.Track) ? "A track is required." : $"Unknown track '{request.Track}'."];
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors["name"] = ["A name is required."];
        else if (name.Length > MaxNameLength) errors["name"] = [$"The name is longer than {MaxNameLength} characters."];
        if (request.Recipe is { Length: > MaxRecipeLength })
            errors[RecipeCheck.WholeRecipeKey] = [$"The recipe is larger than {MaxRecipeLength / 1024} KiB."];
        if (track is null || errors.Count > 0) return new(null, null, errors, null);

        var check = RecipeCheck.Run(track, request.Recipe);
        if (!check.IsValid) return new(null, null, check.Errors, null);

        var recipe = check.Recipe!;
        var now = clock.GetUtcNow();
        var submission = new Submission
        {
            TrackId = track.Id,
            Name = name!,
            Owner = owner,
            RecipeText = request.Recipe!,
            RecipeCanonical = RecipeCanonical.ToCanonicalJson(recipe),
            RecipeHash = RecipeCanonical.Hash(recipe),
            EstimatedParams = check.Estimate!.Params,
            EstimatedGflops = check.Estimate.Gflops,
            CreatedAt = now,
        };
        var run = new Run { Submission = submission, Status = RunStatus.Queued, QueuedAt = now };
        db.Runs.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            run.JobId = queue.Enqueue(run.Id, track.Hardware);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is Hangfire.BackgroundJobClientException or Npgsql.NpgsqlException or DbUpdateException or OperationCanceledException)
        {
            logger.LogError(exception, "Could not queue run {RunId}; removing submission {SubmissionId}", run.Id, submission.Id);
            if (run.JobId is { } jobId) queue.Delete(jobId);
            db.Submissions.Remove(submission);
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        submission.Track = track;
        return new(submission, run, errors, check.Estimate);
    }
}

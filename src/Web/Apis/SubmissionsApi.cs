using System.Security.Claims;
using Leaderboard.Data;
using Leaderboard.Web.Extensions;
using Leaderboard.Web.Features.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Apis;

public static class SubmissionsApi
{
    public static RouteGroupBuilder MapSubmissionsApi(this RouteGroupBuilder api)
    {
        var submissions = api.MapGroup("/submissions").WithTags("Submissions");
        submissions.MapPost("/", Submit).WithName("CreateSubmission").RequireWriter();
        submissions.MapPost("/{id:long}/rerun", Rerun).WithName("RerunSubmission").RequireWriter();
        submissions.MapGet("/{id:long}", GetSubmission).WithName("GetSubmission");
        submissions.MapGet("/", ListSubmissions).WithName("ListSubmissions");
        return api;
    }

    /// <summary>
    /// Validates a recipe, stores the submission (owned by the caller) and queues its run. Invalid: 400 with errors keyed
    /// by field path; over a quota: 429 naming it; nothing stored in either case.
    /// </summary>
    public static async Task<Results<Created<SubmissionDto>, ValidationProblem, ProblemHttpResult>> Submit(SubmissionRequest request,
        SubmissionService service, ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await service.SubmitAsync(request, user, cancellationToken);
        if (outcome.Refusal is { } refusal) return WriteProblems.OverQuota(http, refusal);
        if (!outcome.Succeeded) return TypedResults.ValidationProblem(outcome.Errors, title: "The submission is not valid.");
        var submission = outcome.Submission!;
        return TypedResults.Created($"/api/v1/submissions/{submission.Id}", SubmissionDto.From(submission, outcome.Run!));
    }

    /// <summary>Queues a new run of the same pinned recipe with the submission's first seed (owner or admin; no run may be unfinished).</summary>
    public static async Task<Results<Accepted<SubmissionDto>, ProblemHttpResult>> Rerun(long id, SubmissionService service, ClaimsPrincipal user,
        HttpContext http, CancellationToken cancellationToken) =>
        RerunResult(await service.RerunAsync(id, ofRunId: null, user, cancellationToken), $"submission {id}", http);

    /// <summary>The API's answer to a re-run (of a submission or of one of its runs, named by <paramref name="what"/>).</summary>
    public static Results<Accepted<SubmissionDto>, ProblemHttpResult> RerunResult(RerunOutcome outcome, string what, HttpContext http) => outcome.Status switch
    {
        RerunStatus.NotFound => Problems.NotFound($"No {what}."),
        RerunStatus.Forbidden => WriteProblems.Forbidden($"Only the author of {what} or an admin may run it again."),
        RerunStatus.StillActive => Problems.Conflict($"Cannot run {what} again while a run of the same submission has not finished; cancel it or wait."),
        RerunStatus.OverQuota => WriteProblems.OverQuota(http, outcome.Refusal!),
        RerunStatus.RulesChanged => Problems.Conflict($"Cannot run {what} again. {outcome.RulesChangedMessage}"),
        _ => TypedResults.Accepted($"/api/v1/runs/{outcome.Run!.Id}", SubmissionDto.From(outcome.Run.Submission, outcome.Run)),
    };

    public static async Task<Results<Ok<SubmissionDto>, ProblemHttpResult>> GetSubmission(long id, LeaderboardDbContext db, CancellationToken cancellationToken)
    {
        var submission = await db.Submissions.AsNoTracking().Include(s => s.Track).Include(s => s.Runs)
            .SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (submission is null) return Problems.NotFound($"No submission {id}.");
        return TypedResults.Ok(SubmissionDto.From(submission, submission.Runs.MaxBy(r => r.Id)!));
    }

    /// <summary>The newest submissions, optionally of one track.</summary>
    public static async Task<Ok<List<SubmissionDto>>> ListSubmissions(LeaderboardDbContext db, string? track, int? limit, CancellationToken cancellationToken)
    {
        var query = db.Submissions.AsNoTracking().Include(s => s.Track).Include(s => s.Runs).AsQueryable();
        if (!string.IsNullOrEmpty(track)) query = query.Where(s => s.Track.Slug == track);
        var submissions = await query.OrderByDescending(s => s.Id).Take(Math.Clamp(limit ?? 50, 1, 500)).ToListAsync(cancellationToken);
        return TypedResults.Ok(submissions.Select(s => SubmissionDto.From(s, s.Runs.MaxBy(r => r.Id)!)).ToList());
    }
}

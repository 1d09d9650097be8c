using System.Security.Claims;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Features.Queue;
using Leaderboard.Web.Extensions;
using Leaderboard.Web.Features.Runs;
using Leaderboard.Web.Features.Submissions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Apis;

public static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/runs").WithTags("Runs");
        runs.MapGet("/{id:long}", GetRun).WithName("GetRun");
        runs.MapGet("/{id:long}/metrics", GetMetrics).WithName("GetRunMetrics");
        runs.MapGet("/{id:long}/logs", GetLogTail).WithName("GetRunLogTail")
            .WithSummary("The last lines the run's trainer wrote (stdout and stderr, every attempt); after = the last id a client has, for polling.");
        runs.MapGet("/{id:long}/logs/full", GetFullLog).WithName("GetRunLog")
            .WithSummary("Every kept line of the run's trainer output as plain text (the oldest are dropped beyond the worker's MaxLogLines).");
        runs.MapPost("/{id:long}/cancel", Cancel).WithName("CancelRun").RequireWriter();
        runs.MapPost("/{id:long}/rerun", Rerun).WithName("RerunRun").RequireWriter();
        return api;
    }

    public static async Task<Results<Ok<RunDto>, ProblemHttpResult>> GetRun(long id, LeaderboardDbContext db, QueueView queue, CancellationToken cancellationToken) =>
        await FindRunAsync(db, queue, id, cancellationToken) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"No run {id}.");

    private static async Task<RunDto?> FindRunAsync(LeaderboardDbContext db, QueueView queue, long id, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Include(r => r.Submission).ThenInclude(s => s.Track).Include(r => r.Result)
            .SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return null;
        var queued = run.Status == RunStatus.Queued ? (await queue.LoadAsync(cancellationToken)).Find(id) : null;
        return RunDto.From(run, queued);
    }

    public const int MaxTailLines = 5000;

    public static async Task<Results<Ok<List<LogLineDto>>, ProblemHttpResult>> GetLogTail(long id, int? tail, long? after, LeaderboardDbContext db,
        CancellationToken cancellationToken)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)) return Problems.NotFound($"No run {id}.");
        var count = Math.Clamp(tail ?? 200, 1, MaxTailLines);
        var lines = await db.RunLogLines.AsNoTracking().Where(l => l.RunId == id && l.Id > (after ?? 0)).OrderByDescending(l => l.Id).Take(count)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(lines.OrderBy(l => l.Id).Select(LogLineDto.From).ToList());
    }

    public static async Task<IResult> GetFullLog(long id, LeaderboardDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)) return Problems.NotFound($"No run {id}.");
        var lines = db.RunLogLines.AsNoTracking().Where(l => l.RunId == id).OrderBy(l => l.Id).AsAsyncEnumerable();
        var text = new System.Text.StringBuilder();
        var attempt = 0;
        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            if (line.Attempt != attempt) text.Append("--- attempt ").Append(attempt = line.Attempt).Append(" ---\n");
            if (line.Stream != "stdout") text.Append('[').Append(line.Stream).Append("] ");
            text.Append(line.Text).Append('\n');
        }
        return TypedResults.Text(text.ToString(), "text/plain; charset=utf-8");
    }

    /// <summary>The run's progress rows in order; <c>after</c> = the last id a client has, for polling.</summary>
    public static async Task<Results<Ok<List<MetricDto>>, ProblemHttpResult>> GetMetrics(long id, long? after, LeaderboardDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)) return Problems.NotFound($"No run {id}.");
        var metrics = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == id && m.Id > (after ?? 0)).OrderBy(m => m.Id).Take(5000)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(metrics.Select(MetricDto.From).ToList());
    }

    /// <summary>Cancels a run (its submission's author or an admin): a queued run at once, a running one at its next check-in.</summary>
    public static async Task<Results<Accepted<RunDto>, ProblemHttpResult>> Cancel(long id, RunCancellation cancellation, LeaderboardDbContext db,
        QueueView queue, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await cancellation.CancelAsync(id, user, cancellationToken);
        if (outcome == CancelOutcome.NotFound) return Problems.NotFound($"No run {id}.");
        if (outcome == CancelOutcome.Forbidden) return WriteProblems.Forbidden($"Only the author of run {id} or an admin may cancel it.");
        if (outcome == CancelOutcome.AlreadyFinished) return Problems.Conflict($"Run {id} has already finished.");
        return TypedResults.Accepted($"/api/v1/runs/{id}", (await FindRunAsync(db, queue, id, cancellationToken))!);
    }

    /// <summary>
    /// Re-runs a run: a new run of its submission's pinned recipe with the run's seed, grouped under the same submission
    /// (owner or admin; no run of the submission may be unfinished). On a seed that already completed it verifies the row.
    /// </summary>
    public static async Task<Results<Accepted<SubmissionDto>, ProblemHttpResult>> Rerun(long id, SubmissionService service, LeaderboardDbContext db,
        ClaimsPrincipal user, HttpContext http, CancellationToken cancellationToken)
    {
        var submissionId = await db.Runs.Where(r => r.Id == id).Select(r => (long?)r.SubmissionId).SingleOrDefaultAsync(cancellationToken);
        if (submissionId is null) return Problems.NotFound($"No run {id}.");
        return SubmissionsApi.RerunResult(await service.RerunAsync(submissionId.Value, id, user, cancellationToken), $"run {id}", http);
    }
}

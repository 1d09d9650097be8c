using System.Security.Claims;
using Leaderboard.Data;
using Leaderboard.Web.Extensions;
using Leaderboard.Web.Features.Runs;
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
        runs.MapPost("/{id:long}/cancel", Cancel).WithName("CancelRun").RequireWriter();
        return api;
    }

    public static async Task<Results<Ok<RunDto>, ProblemHttpResult>> GetRun(long id, LeaderboardDbContext db, CancellationToken cancellationToken) =>
        await FindRunAsync(db, id, cancellationToken) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"No run {id}.");

    private static async Task<RunDto?> FindRunAsync(LeaderboardDbContext db, long id, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().Include(r => r.Submission).ThenInclude(s => s.Track).Include(r => r.Result)
            .SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? null : RunDto.From(run);
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
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var outcome = await cancellation.CancelAsync(id, user, cancellationToken);
        if (outcome == CancelOutcome.NotFound) return Problems.NotFound($"No run {id}.");
        if (outcome == CancelOutcome.Forbidden) return WriteProblems.Forbidden($"Only the author of run {id} or an admin may cancel it.");
        if (outcome == CancelOutcome.AlreadyFinished) return Problems.Conflict($"Run {id} has already finished.");
        return TypedResults.Accepted($"/api/v1/runs/{id}", (await FindRunAsync(db, id, cancellationToken))!);
    }
}

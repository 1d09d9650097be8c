using System.Linq.Expressions;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Features.Quotas;

/// <summary>Why a new run was refused: which quota, the usage against the limit, and when it frees (null: when an active run finishes).</summary>
public sealed record QuotaRefusal(string Quota, double Usage, double Limit, DateTimeOffset? FreesAt, string Message);

/// <summary>A user's standing on a track's quotas: active runs and device hours in the last 24 hours, against the limits.</summary>
public sealed record QuotaUsage(int ActiveRuns, int MaxActiveRuns, double DeviceHours, double MaxDeviceHours);

/// <summary>
/// Checks a user's quotas on a track before a run is queued. Call it inside the transaction that queues the run, after
/// <see cref="LockAsync"/>, so that two requests at once cannot both take the last slot.
/// </summary>
public sealed class RunQuotas(IOptions<QuotaOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    /// <summary>The runs a user is charged for: not those that failed through the platform's fault (a node lost, a
    /// dataset missing, an evaluation crash, a worker stopped).</summary>
    public static readonly Expression<Func<Run, bool>> Charged = r => r.FailureClass != FailureClass.Platform;

    private static readonly RunStatus[] Active = [RunStatus.Queued, RunStatus.Running, RunStatus.Evaluating];

    /// <summary>Serialises quota checks of one user on one track until the transaction ends.</summary>
    public static Task LockAsync(LeaderboardDbContext db, string userId, int trackId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"quota/" + userId + "/" + trackId}, 0))", cancellationToken);

    /// <summary>The user's usage on the track now (the submission form shows it).</summary>
    public async Task<QuotaUsage> UsageAsync(LeaderboardDbContext db, string userId, Track track, CancellationToken cancellationToken)
    {
        var (maxActive, gpuHours) = options.Value.For(track.Slug);
        var now = clock.GetUtcNow();
        var since = now - Window;
        var runs = db.Runs.Where(r => r.Submission.OwnerId == userId && r.Submission.TrackId == track.Id);
        var active = await runs.CountAsync(r => Active.Contains(r.Status), cancellationToken);
        var used = await runs.Where(Charged).Where(r => r.StartedAt != null && (r.FinishedAt == null || r.FinishedAt > since))
            .Select(r => new { Started = r.StartedAt!.Value, r.FinishedAt }).ToListAsync(cancellationToken);
        var hours = used.Sum(r => ((r.FinishedAt ?? now) - (r.Started > since ? r.Started : since)).TotalHours);
        return new QuotaUsage(active, maxActive, Math.Round(hours, 3), gpuHours);
    }

    /// <summary>Whether <paramref name="newRuns"/> more runs (a submission's seeds) fit the user's quotas on the track.</summary>
    public async Task<QuotaRefusal?> CheckAsync(LeaderboardDbContext db, string userId, Track track, CancellationToken cancellationToken, int newRuns = 1)
    {
        var (maxActive, gpuHours) = options.Value.For(track.Slug);
        var now = clock.GetUtcNow();
        var since = now - Window;
        var runs = db.Runs.Where(r => r.Submission.OwnerId == userId && r.Submission.TrackId == track.Id);

        var active = await runs.Where(r => Active.Contains(r.Status)).Select(r => r.Deadline).ToListAsync(cancellationToken);
        if (active.Count + newRuns > maxActive)
        {
            var asked = newRuns == 1 ? "" : $" {newRuns} seeds need {newRuns} more active runs.";
            return new QuotaRefusal("activeRuns", active.Count, maxActive, active.Min(),
                $"You have {active.Count} active runs on this track (queued, running or evaluating); the limit is {maxActive}.{asked} Cancel one or wait until one finishes.");
        }

        var used = await runs.Where(Charged).Where(r => r.StartedAt != null && (r.FinishedAt == null || r.FinishedAt > since))
            .Select(r => new { Started = r.StartedAt!.Value, r.FinishedAt }).ToListAsync(cancellationToken);
        var hours = used.Sum(r => ((r.FinishedAt ?? now) - (r.Started > since ? r.Started : since)).TotalHours);
        if (hours >= gpuHours)
        {
            // Usage starts to leave the window when the oldest charged hour passes 24 h.
            var freesAt = used.Min(r => r.Started > since ? r.Started : since) + Window;
            return new QuotaRefusal("gpuHoursPerDay", Math.Round(hours, 3), gpuHours, freesAt,
                $"Your runs on this track used {hours:0.##} device hours in the last 24 hours; the limit is {gpuHours:0.##}.");
        }
        return null;
    }
}

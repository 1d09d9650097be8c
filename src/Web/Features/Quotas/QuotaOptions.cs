using System.ComponentModel.DataAnnotations;

namespace Leaderboard.Web.Features.Quotas;

/// <summary>
/// Per-user limits on each track (section "Quotas"): <c>Quotas__Default__MaxActiveRuns</c>,
/// <c>Quotas__Default__GpuHoursPerDay</c>, and per track <c>Quotas__Tracks__&lt;slug&gt;__…</c> (unset fields fall back to the default).
/// </summary>
public sealed class QuotaOptions : IValidatableObject
{
    public const string Section = "Quotas";

    /// <summary>Five active runs: the largest seed count a seeded track allows (<c>tracks.max_seeds</c>), so a full seed set fits.</summary>
    public TrackQuota Default { get; set; } = new() { MaxActiveRuns = 5, GpuHoursPerDay = 48 };

    public Dictionary<string, TrackQuota> Tracks { get; set; } = [];

    /// <summary>The limits on one track: its own settings where given, the default's otherwise.</summary>
    public (int MaxActiveRuns, double GpuHoursPerDay) For(string trackSlug)
    {
        var own = Tracks.GetValueOrDefault(trackSlug);
        return (own?.MaxActiveRuns ?? Default.MaxActiveRuns ?? int.MaxValue, own?.GpuHoursPerDay ?? Default.GpuHoursPerDay ?? double.PositiveInfinity);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (prefix, quota) in Tracks.Select(t => ($"Quotas__Tracks__{t.Key}", t.Value)).Prepend(("Quotas__Default", Default)))
        {
            if (quota.MaxActiveRuns is < 1) yield return new ValidationResult($"{prefix}__MaxActiveRuns must be at least 1.");
            if (quota.GpuHoursPerDay is <= 0) yield return new ValidationResult($"{prefix}__GpuHoursPerDay must be positive.");
        }
    }
}

public sealed class TrackQuota
{
    /// <summary>Queued + running + evaluating runs at once.</summary>
    public int? MaxActiveRuns { get; set; }

    /// <summary>Device hours (GPU, or CPU on CPU tracks) started runs may use in any 24 hours.</summary>
    public double? GpuHoursPerDay { get; set; }
}

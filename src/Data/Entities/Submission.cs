namespace Leaderboard.Data.Entities;

/// <summary>A model + training recipe submitted to a track. Stored only when its recipe is valid.</summary>
public sealed class Submission
{
    public long Id { get; set; }
    public int TrackId { get; set; }
    public Track Track { get; set; } = null!;
    public required string Name { get; set; }
    /// <summary>The author's account; null only for submissions made before accounts existed.</summary>
    public string? OwnerId { get; set; }
    public User? OwnerUser { get; set; }
    /// <summary>The author's user name when submitted (shown on pages and in the API).</summary>
    public string? Owner { get; set; }
    /// <summary>The recipe exactly as submitted (YAML or JSON).</summary>
    public required string RecipeText { get; set; }
    /// <summary>The recipe's canonical JSON: every field, defaults filled, stable order.</summary>
    public required string RecipeCanonical { get; set; }
    /// <summary>SHA-256 of the canonical form.</summary>
    public required string RecipeHash { get; set; }
    /// <summary>How many seeds the author asked for (at most the track's <see cref="Track.MaxSeeds"/>): one run each.</summary>
    public int Seeds { get; set; } = 1;
    public long EstimatedParams { get; set; }
    public double EstimatedGflops { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The model variant (tiny | small | base | custom), computed by the database from the canonical recipe (<see cref="SubmissionFacets"/>).</summary>
    public string ModelFamily { get; private set; } = "";
    /// <summary>The recipe's notable components (locality, curriculum, spt, …), computed by the database from the canonical recipe.</summary>
    public string[] Components { get; private set; } = [];

    public List<Run> Runs { get; set; } = [];
}

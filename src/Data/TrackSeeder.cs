using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data;

/// <summary>The tracks every deployment starts with (DESIGN.md, "Tracks"). Adds the missing ones; never edits existing rows.</summary>
public static class TrackSeeder
{
    public static IReadOnlyList<Track> DefaultTracks() =>
    [
        new()
        {
            Slug = "imagenet1k-1gpu-24h",
            Name = "ImageNet-1k · 1 GPU · 24 h",
            Description = "The benchmark: train a vision transformer from scratch on ImageNet-1k with one GPU in 24 hours (Irandoust et al. 2022).",
            Dataset = "imagenet1k",
            NumClasses = 1000,
            TrainImages = 1_281_167,
            BudgetSeconds = 24 * 3600,
            Hardware = "gpu",
            ReferenceTflops = 200,
            MaxImageSize = 384,
        },
        new()
        {
            Slug = "imagenet1k-1gpu-1h",
            Name = "ImageNet-1k · 1 GPU · 1 h",
            Description = "Quick iterations on ImageNet-1k: one GPU, one hour.",
            Dataset = "imagenet1k",
            NumClasses = 1000,
            TrainImages = 1_281_167,
            BudgetSeconds = 3600,
            Hardware = "gpu",
            ReferenceTflops = 200,
            MaxImageSize = 384,
        },
        new()
        {
            Slug = SyntheticTrackSlug,
            Name = "Synthetic · CPU · 2 min",
            Description = "Procedural images the platform generates itself; 2 minutes on a CPU. Works on any machine with no data to download.",
            Dataset = "synthetic",
            NumClasses = 10,
            TrainImages = 3000,
            BudgetSeconds = 120,
            Hardware = "cpu",
            ReferenceTflops = 0.2,
            MaxImageSize = 64,
        },
    ];

    public const string SyntheticTrackSlug = "synthetic-cpu-2min";

    public static async Task SeedAsync(LeaderboardDbContext db, IEnumerable<Track> tracks, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var existing = await db.Tracks.Select(t => t.Slug).ToListAsync(cancellationToken);
        foreach (var track in tracks.Where(t => !existing.Contains(t.Slug)))
        {
            track.CreatedAt = clock.GetUtcNow();
            db.Tracks.Add(track);
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}

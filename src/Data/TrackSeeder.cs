using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data;

/// <summary>
/// The tracks every deployment starts with (DESIGN.md, "Tracks") and their published reference results. Adds the missing
/// ones; never edits existing rows.
/// </summary>
public static class TrackSeeder
{
    public static IReadOnlyList<Track> DefaultTracks() =>
    [
        new()
        {
            Slug = ImageNet24HourTrackSlug,
            Name = "ImageNet-1k · 1 GPU · 24 h",
            Description = "The benchmark: train a vision transformer from scratch on ImageNet-1k with one GPU in 24 hours (Irandoust et al. 2022).",
            Dataset = "imagenet1k",
            NumClasses = 1000,
            TrainImages = 1_281_167,
            BudgetSeconds = 24 * 3600,
            Hardware = "gpu",
            ReferenceTflops = 200,
            MaxImageSize = 384,
            MaxSeeds = 3,
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
            MaxSeeds = 5,
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
            // CPU seconds: the run's result does not depend on what else the machine does (issue 12). Rules v1 counted wall seconds.
            BudgetMode = "cpu-time",
            RulesVersion = "2",
            ReferenceTflops = 0.2,
            MaxImageSize = 64,
            MaxSeeds = 5,
        },
    ];

    public const string SyntheticTrackSlug = "synthetic-cpu-2min";
    public const string ImageNet24HourTrackSlug = "imagenet1k-1gpu-24h";

    private const string BenchmarkPaper = "Irandoust et al. 2022, \"Training a Vision Transformer from Scratch in Less than 24 Hours with 1 GPU\", Table 1";
    private const string BenchmarkPaperUrl = "https://arxiv.org/abs/2211.05187";

    /// <summary>The benchmark paper's Table 1 (top-1 on ImageNet-1k validation), by track slug.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ReportedResult>> DefaultReportedResults() => new Dictionary<string, IReadOnlyList<ReportedResult>>
    {
        [ImageNet24HourTrackSlug] =
        [
            Reported(1, "DeiT-S + locality FFN + image-size curriculum", 53.98, "24 h on one 16 GB GPU", withinRules: true),
            Reported(2, "DeiT-S", 43.05, "24 h on one 16 GB GPU", withinRules: true, parameters: 22_000_000, gflops: 4.6),
            Reported(3, "LocalViT-S", 27.89, "24 h on one 16 GB GPU", withinRules: true),
            Reported(4, "DeiT-S (upper bound)", 79.9, "72 h on 4 GPUs (300 epochs)", withinRules: false, parameters: 22_000_000, gflops: 4.6),
        ],
    };

    private static ReportedResult Reported(int position, string name, double top1, string setting, bool withinRules, long? parameters = null,
        double? gflops = null) => new()
    {
        Position = position,
        Name = name,
        Top1 = top1,
        Params = parameters,
        Gflops = gflops,
        Setting = setting,
        WithinTrackRules = withinRules,
        Source = BenchmarkPaper,
        SourceUrl = BenchmarkPaperUrl,
    };

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

    public static async Task SeedReportedResultsAsync(LeaderboardDbContext db, IReadOnlyDictionary<string, IReadOnlyList<ReportedResult>> reported,
        CancellationToken cancellationToken = default)
    {
        var tracks = await db.Tracks.Include(t => t.ReportedResults).Where(t => reported.Keys.Contains(t.Slug)).ToListAsync(cancellationToken);
        foreach (var track in tracks)
        {
            var existing = track.ReportedResults.Select(r => r.Name).ToHashSet();
            track.ReportedResults.AddRange(reported[track.Slug].Where(r => !existing.Contains(r.Name)));
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}

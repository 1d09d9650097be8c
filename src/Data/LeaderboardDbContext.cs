using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data;

public sealed class LeaderboardDbContext(DbContextOptions<LeaderboardDbContext> options) : DbContext(options)
{
    public DbSet<Track> Tracks => Set<Track>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunMetric> RunMetrics => Set<RunMetric>();
    public DbSet<Result> Results => Set<Result>();
    public DbSet<ReportedResult> ReportedResults => Set<ReportedResult>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LeaderboardDbContext).Assembly);
        modelBuilder.UseSnakeCase();
    }
}

using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Leaderboard.Data.Configurations;

internal sealed class TrackConfiguration : IEntityTypeConfiguration<Track>
{
    public void Configure(EntityTypeBuilder<Track> builder)
    {
        builder.ToTable("tracks");
        builder.Property(t => t.Slug).HasMaxLength(64);
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Dataset).HasMaxLength(64);
        builder.Property(t => t.Hardware).HasMaxLength(16);
        builder.Property(t => t.RulesVersion).HasMaxLength(16);
        builder.Property(t => t.BudgetMode).HasMaxLength(16).HasDefaultValue("wall");
        builder.HasIndex(t => t.Slug).IsUnique().HasDatabaseName("ix_tracks_slug");
    }
}

internal sealed class SubmissionConfiguration : IEntityTypeConfiguration<Submission>
{
    public void Configure(EntityTypeBuilder<Submission> builder)
    {
        builder.ToTable("submissions");
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Owner).HasMaxLength(200);
        builder.Property(s => s.RecipeHash).HasMaxLength(64);
        builder.Property(s => s.RecipeCanonical).HasColumnType("jsonb");
        builder.HasOne(s => s.Track).WithMany(t => t.Submissions).HasForeignKey(s => s.TrackId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(s => s.OwnerUser).WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(s => s.TrackId).HasDatabaseName("ix_submissions_track_id");
        // Quotas count a user's runs per track.
        builder.HasIndex(s => new { s.OwnerId, s.TrackId }).HasDatabaseName("ix_submissions_owner_id_track_id");
        builder.HasIndex(s => s.RecipeHash).HasDatabaseName("ix_submissions_recipe_hash");
        builder.Property(s => s.ModelFamily).HasMaxLength(16).HasComputedColumnSql(SubmissionFacets.ModelFamilySql, stored: true);
        builder.Property(s => s.Components).HasComputedColumnSql(SubmissionFacets.ComponentsSql, stored: true);
        // The leaderboard's filters: family within a track, components by containment (@>).
        builder.HasIndex(s => new { s.TrackId, s.ModelFamily }).HasDatabaseName("ix_submissions_track_id_model_family");
        builder.HasIndex(s => s.Components).HasMethod("gin").HasDatabaseName("ix_submissions_components");
    }
}

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.ToTable("runs");
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Worker).HasMaxLength(200);
        builder.Property(r => r.FailureClass).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.JobId).HasMaxLength(64);
        builder.Property(r => r.Version).IsRowVersion().HasColumnName("xmin");
        builder.HasOne(r => r.Submission).WithMany(s => s.Runs).HasForeignKey(r => r.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.SubmissionId).HasDatabaseName("ix_runs_submission_id");
        builder.HasIndex(r => r.Status).HasDatabaseName("ix_runs_status");
        // The leaderboard reads only completed runs of a track's submissions.
        builder.HasIndex(r => r.SubmissionId, "ix_runs_completed_submission_id").HasFilter("status = 'Completed'");
        // A track page's "Recent runs": the newest runs first.
        builder.HasIndex(r => r.QueuedAt).HasDatabaseName("ix_runs_queued_at");
        builder.Ignore(r => r.IsFinished);
    }
}

internal sealed class RunMetricConfiguration : IEntityTypeConfiguration<RunMetric>
{
    public void Configure(EntityTypeBuilder<RunMetric> builder)
    {
        builder.ToTable("run_metrics");
        builder.Property(m => m.Event).HasMaxLength(16);
        builder.HasOne<Run>().WithMany(r => r.Metrics).HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.RunId, m.Id }).HasDatabaseName("ix_run_metrics_run_id_id");
    }
}

internal sealed class ResultConfiguration : IEntityTypeConfiguration<Result>
{
    public void Configure(EntityTypeBuilder<Result> builder)
    {
        builder.ToTable("results");
        builder.HasKey(r => r.RunId);
        builder.Property(r => r.Device).HasMaxLength(200);
        builder.Property(r => r.Library).HasMaxLength(200);
        builder.Property(r => r.RecipeHash).HasMaxLength(64);
        builder.Property(r => r.CodeVersion).HasMaxLength(64);
        builder.Property(r => r.GpuModel).HasMaxLength(200);
        builder.Property(r => r.GpuDriver).HasMaxLength(64);
        builder.Property(r => r.CudaVersion).HasMaxLength(32);
        builder.Property(r => r.CpuModel).HasMaxLength(200);
        builder.Property(r => r.RulesVersion).HasMaxLength(16);
        builder.Property(r => r.BudgetMode).HasMaxLength(16);
        builder.Ignore(r => r.HardwareClass);
        builder.HasOne(r => r.Run).WithOne(r => r.Result).HasForeignKey<Result>(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.Device).HasDatabaseName("ix_results_device");
    }
}

internal sealed class ReportedResultConfiguration : IEntityTypeConfiguration<ReportedResult>
{
    public void Configure(EntityTypeBuilder<ReportedResult> builder)
    {
        builder.ToTable("reported_results");
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Setting).HasMaxLength(200);
        builder.Property(r => r.Source).HasMaxLength(400);
        builder.Property(r => r.SourceUrl).HasMaxLength(400);
        builder.HasOne(r => r.Track).WithMany(t => t.ReportedResults).HasForeignKey(r => r.TrackId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.TrackId, r.Name }).IsUnique().HasDatabaseName("ix_reported_results_track_id_name");
    }
}

internal sealed class RunLogLineConfiguration : IEntityTypeConfiguration<RunLogLine>
{
    public void Configure(EntityTypeBuilder<RunLogLine> builder)
    {
        builder.ToTable("run_log_lines");
        builder.Property(l => l.Stream).HasMaxLength(8);
        builder.HasOne<Run>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => new { l.RunId, l.Id }).HasDatabaseName("ix_run_log_lines_run_id_id");
    }
}

internal sealed class NodeConfiguration : IEntityTypeConfiguration<Node>
{
    public void Configure(EntityTypeBuilder<Node> builder)
    {
        builder.ToTable("nodes");
        builder.HasKey(n => n.Name);
        builder.Property(n => n.Name).HasMaxLength(200);
        builder.Property(n => n.HardwareClass).HasMaxLength(16);
        builder.Property(n => n.GpuModel).HasMaxLength(200);
        builder.Property(n => n.DriverVersion).HasMaxLength(64);
        builder.Property(n => n.CudaVersion).HasMaxLength(32);
        builder.Property(n => n.CpuModel).HasMaxLength(200);
        builder.Property(n => n.PlatformVersion).HasMaxLength(64);
        builder.Property(n => n.RuntimeVersion).HasMaxLength(64);
    }
}

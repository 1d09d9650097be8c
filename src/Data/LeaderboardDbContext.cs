using Leaderboard.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Data;

public sealed class LeaderboardDbContext(DbContextOptions<LeaderboardDbContext> options)
    : IdentityDbContext<User>(options), IDataProtectionKeyContext
{
    public DbSet<Track> Tracks => Set<Track>();
    public DbSet<Submission> Submissions => Set<Submission>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<RunMetric> RunMetrics => Set<RunMetric>();
    public DbSet<Result> Results => Set<Result>();
    public DbSet<ResultSubnetwork> ResultSubnetworks => Set<ResultSubnetwork>();
    public DbSet<RunLogLine> RunLogLines => Set<RunLogLine>();
    public DbSet<Node> Nodes => Set<Node>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<RunEvent> RunEvents => Set<RunEvent>();
    public DbSet<ReportedResult> ReportedResults => Set<ReportedResult>();

    /// <summary>ASP.NET Data Protection's key ring, shared by every web host (cookies, webhook secrets).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys { get; set; } = null!;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<User>().ToTable("users");
        builder.Entity<IdentityRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        builder.ApplyConfigurationsFromAssembly(typeof(LeaderboardDbContext).Assembly);
        builder.UseSnakeCase();
    }
}

using Hangfire;
using Hangfire.Dashboard;
using Leaderboard.Data;
using Leaderboard.Jobs;
using Leaderboard.Web.Apis;
using Leaderboard.Web.Features.Accounts;
using Leaderboard.Web.Features.Queue;
using Leaderboard.Web.Features.Quotas;
using Leaderboard.Web.Features.Leaderboards;
using Leaderboard.Web.Features.Runs;
using Leaderboard.Web.Features.Submissions;
using Leaderboard.Web.Features.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Extensions;

public static class ApplicationServices
{
    public const string ConnectionStringName = "Leaderboard";

    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "No database configured: set ConnectionStrings__Leaderboard to a PostgreSQL connection string, or start the platform with ./lb run (it starts a private PostgreSQL under .data/).");
        }

        // Serves static assets (and their precompressed variants) from the build output when the site runs unpublished,
        // as ./lb run does, in any environment; a published app has no such manifest and this does nothing.
        builder.WebHost.UseStaticWebAssets();

        var services = builder.Services;
        services.AddDbContextFactory<LeaderboardDbContext>(o => o.UseLeaderboardDatabase(connectionString));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<LeaderboardDbContext>>().CreateDbContext());
        services.AddLeaderboardJobs(builder.Configuration, connectionString);

        services.AddAccounts(builder.Configuration);
        services.AddWriteProtection(builder.Configuration);
        services.AddOptions<QuotaOptions>().Bind(builder.Configuration.GetSection(QuotaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RunQuotas>();
        services.AddWebhooks(builder.Configuration);
        services.AddScoped<SubmissionService>();
        services.AddScoped<RunCancellation>();
        services.AddScoped<QueueView>();
        services.AddSingleton<LeaderboardVersions>();
        services.AddHostedService<LeaderboardChangeListener>();
        services.AddSingleton<LeaderboardFeed>();

        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseOutageHandler>();
        services.AddApiDocumentation();
        services.AddSingleton<PlatformMetrics>();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddWebUi();
    }

    /// <summary>
    /// Checks the configuration, then applies migrations and seeds the tracks before the site takes requests (EF's
    /// migration lock makes concurrent starts safe).
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        app.Services.ValidateConfiguration();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        await db.MigrateAndSeedAsync(TimeProvider.System);
        await AdminBootstrap.EnsureAdminAsync(scope.ServiceProvider, TimeProvider.System);
        // Resolving the storage creates Hangfire's schema and fails early on a bad configuration.
        app.Services.GetRequiredService<Hangfire.JobStorage>();
    }

    public static void MapApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").DisableAntiforgery();
        api.MapTracksApi().MapRecipesApi().MapSubmissionsApi().MapRunsApi().MapQueueApi().MapTokensApi().MapWebhooksApi();
        app.MapAccountEndpoints();
        app.MapOpenApi();
        app.MapHealthEndpoints();
        app.MapMetrics();
    }

    /// <summary>Hangfire's dashboard: admins manage jobs, other signed-in users only look, anyone else gets 401.</summary>
    public static void MapJobsDashboard(this WebApplication app) =>
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            DashboardTitle = "Leaderboard jobs",
            AppPath = "/queue",
            Authorization = [new DashboardAccess()],
            IsReadOnlyFunc = context => !DashboardAccess.IsAdmin(context.GetHttpContext().User),
        });
}

using Leaderboard.Web.Features.Leaderboards;
using Leaderboard.Web.Features.Runs;

// In the Extensions namespace beside AddApplicationServices, which calls it.
namespace Leaderboard.Web.Extensions;

public static class UiServices
{
    /// <summary>The web UI's own services (the Blazor pages under Features/ and Components/).</summary>
    public static IServiceCollection AddWebUi(this IServiceCollection services)
    {
        services.AddScoped<TrackDirectory>();
        // Scoped: one per circuit (interactive) or per request (prerender); its subscriptions end with the scope.
        services.AddScoped<RunWatcher>();
        return services;
    }
}

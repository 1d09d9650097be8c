using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs;

public static class WorkerHost
{
    /// <summary>Where a worker node serves its health endpoints unless ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5081";

    /// <summary>
    /// Validates every setting registered with ValidateOnStart now, before anything touches the database or starts a
    /// run: a bad value stops the process with a message that names its variable (e.g. Worker__GraceSeconds).
    /// </summary>
    public static void ValidateConfiguration(this IServiceProvider services) => services.GetRequiredService<IStartupValidator>().Validate();
}

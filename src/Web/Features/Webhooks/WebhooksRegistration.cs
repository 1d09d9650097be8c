using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Features.Webhooks;

public static class WebhooksRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<WebhookRegistry>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookDispatcher.CreateHandler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}

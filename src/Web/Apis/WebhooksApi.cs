using System.Security.Claims;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Extensions;
using Leaderboard.Web.Features.Accounts;
using Leaderboard.Web.Features.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leaderboard.Web.Apis;

public sealed record CreateWebhookRequest(string? Url);

public sealed record WebhookDto(long Id, string Url, DateTimeOffset CreatedAt)
{
    public static WebhookDto From(Webhook w) => new(w.Id, w.Url, w.CreatedAt);
}

/// <summary>A new webhook: <see cref="Secret"/> signs its deliveries (HMAC-SHA256) and is shown this once.</summary>
public sealed record CreatedWebhookDto(long Id, string Url, DateTimeOffset CreatedAt, string Secret);

public sealed record DeliveryDto(long Id, long EventId, long RunId, string Status, string State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, int? ResponseStatus, string? Error, DateTimeOffset? DeliveredAt)
{
    public static DeliveryDto From(WebhookDelivery d) => new(d.Id, d.EventId, d.RunId, d.Status, d.State.ToString(), d.Attempts, d.CreatedAt,
        d.LastAttemptAt, d.State == DeliveryState.Pending ? d.NextAttemptAt : null, d.ResponseStatus, d.Error, d.DeliveredAt);
}

/// <summary>The caller's webhooks: each gets a signed POST on every state change of the caller's runs.</summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/", Create).WithName("CreateWebhook").RequireWriter();
        webhooks.MapGet("/", List).WithName("ListWebhooks").RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        webhooks.MapDelete("/{id:long}", Delete).WithName("DeleteWebhook").RequireWriter();
        webhooks.MapGet("/{id:long}/deliveries", Deliveries).WithName("ListWebhookDeliveries").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    public static async Task<Results<Created<CreatedWebhookDto>, ValidationProblem>> Create(CreateWebhookRequest request, WebhookRegistry registry,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var userId = user.UserId()!;
        var errors = WebhookRegistry.ValidateUrl(request.Url);
        if (errors.Count == 0 && await registry.IsFullAsync(userId, cancellationToken))
            errors["url"] = [$"You have {registry.MaxPerUser} webhooks; delete one first."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The webhook cannot be registered.");
        var created = await registry.CreateAsync(userId, request.Url!, cancellationToken);
        var w = created.Webhook;
        return TypedResults.Created($"/api/v1/webhooks/{w.Id}", new CreatedWebhookDto(w.Id, w.Url, w.CreatedAt, created.Secret));
    }

    public static async Task<Ok<List<WebhookDto>>> List(WebhookRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok((await registry.ListAsync(user.UserId()!, cancellationToken)).Select(WebhookDto.From).ToList());

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, WebhookRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await registry.DeleteAsync(user.UserId()!, id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"You have no webhook {id}.");

    /// <summary>The webhook's newest deliveries with each one's attempts, last answer and next retry.</summary>
    public static async Task<Results<Ok<List<DeliveryDto>>, ProblemHttpResult>> Deliveries(long id, int? limit, WebhookRegistry registry, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        await registry.DeliveriesAsync(user.UserId()!, id, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken) is { } deliveries
            ? TypedResults.Ok(deliveries.Select(DeliveryDto.From).ToList())
            : Problems.NotFound($"You have no webhook {id}.");
}

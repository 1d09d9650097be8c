using System.Security.Claims;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Extensions;
using Leaderboard.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leaderboard.Web.Apis;

public sealed record CreateTokenRequest(string? Name);

public sealed record TokenDto(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static TokenDto From(ApiToken t) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}

/// <summary>A new token: <see cref="Token"/> is the secret, shown this once.</summary>
public sealed record CreatedTokenDto(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, string Token);

/// <summary>The caller's personal API tokens (the same ones as on /account/tokens).</summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapPost("/", Create).WithName("CreateToken").RequireWriter();
        tokens.MapGet("/", List).WithName("ListTokens").RequireAuthorization().ProducesProblem(StatusCodes.Status401Unauthorized);
        tokens.MapDelete("/{id:long}", Revoke).WithName("RevokeToken").RequireWriter();
        return api;
    }

    public static async Task<Results<Created<CreatedTokenDto>, ValidationProblem>> Create(CreateTokenRequest request, ApiTokens tokens, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var userId = user.UserId()!;
        var errors = ValidateName(request.Name);
        if (errors.Count == 0 && await tokens.CountActiveAsync(userId, cancellationToken) >= ApiTokens.MaxTokensPerUser)
            errors["name"] = [$"You have {ApiTokens.MaxTokensPerUser} active tokens; revoke one first."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The token cannot be created.");
        var created = await tokens.CreateAsync(userId, request.Name!.Trim(), cancellationToken);
        var t = created.Token;
        return TypedResults.Created($"/api/v1/tokens/{t.Id}", new CreatedTokenDto(t.Id, t.Name, t.Prefix, t.CreatedAt, created.Secret));
    }

    public static Dictionary<string, string[]> ValidateName(string? name)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name)) errors["name"] = ["A name is required (what the token is for)."];
        else InputRules.CheckText(errors, "name", name.Trim(), ApiTokens.MaxNameLength);
        return errors;
    }

    public static async Task<Ok<List<TokenDto>>> List(ApiTokens tokens, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok((await tokens.ListAsync(user.UserId()!, cancellationToken)).Select(TokenDto.From).ToList());

    /// <summary>Revokes one of the caller's tokens: requests with it get 401 from now on.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(long id, ApiTokens tokens, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await tokens.RevokeAsync(user.UserId()!, id, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"You have no token {id}.");
}

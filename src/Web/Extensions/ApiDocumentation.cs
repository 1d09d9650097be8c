using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Leaderboard.Web.Extensions;

/// <summary>
/// The OpenAPI document at /openapi/v1.json: response types come from the endpoints' typed results and Produces
/// metadata; this adds the Bearer scheme (<c>Authorization: Bearer &lt;token&gt;</c>) and, on the operations that require
/// an account (authorization metadata, <see cref="WriteEndpoints.RequireWriter"/>), its security requirement and the 401
/// problem they answer without a valid token.
/// </summary>
public static class ApiDocumentation
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Leaderboard API";
            document.Info.Description = "Vision transformers trained from scratch under a fixed budget: tracks, recipes, submissions, runs and leaderboards. See docs/api.md.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal API token (created on the account page, or LB_ADMIN_TOKEN) as 'Authorization: Bearer <token>'.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(AddEveryDeclaredContentTypeAsync);
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<IAuthorizeData>().Any()) return;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            operation.Responses ??= new OpenApiResponses();
            operation.Responses["401"] = new OpenApiResponse
            {
                Description = "No valid API token (problem+json).",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), null, cancellationToken) },
                },
            };
        });
    });

    /// <summary>
    /// One status code with several representations (the leaderboard: JSON or CSV) keeps only the last declared one in
    /// the generated document; this puts the others back, each with its own schema.
    /// </summary>
    private static async Task AddEveryDeclaredContentTypeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var declared = context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>();
        foreach (var produces in declared.Where(p => p.Type is not null && p.ContentTypes.Any()))
        {
            if (operation.Responses?.GetValueOrDefault(produces.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not OpenApiResponse response) continue;
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var contentType in produces.ContentTypes.Where(c => !response.Content.ContainsKey(c)))
                response.Content[contentType] = new OpenApiMediaType { Schema = await context.GetOrCreateSchemaAsync(produces.Type!, null, cancellationToken) };
        }
    }
}

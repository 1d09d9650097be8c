using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Leaderboard.Web.Extensions;
using Microsoft.AspNetCore.Authorization;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Extensions;

/// <summary>/openapi/v1.json describes every API endpoint the app maps, with every response the endpoint declares.</summary>
public sealed partial class ApiDocumentationTests : IAsyncLifetime
{
    private PlatformFactory _platform = null!;
    private JsonObject _document = null!;

    public async Task InitializeAsync()
    {
        _platform = await PlatformFactory.StartAsync(worker: false);
        using var client = _platform.CreateClient();
        _document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public void Every_mapped_api_endpoint_appears_with_its_declared_responses()
    {
        var endpoints = ApiEndpoints().ToList();
        Assert.True(endpoints.Count >= 11, $"only {endpoints.Count} API endpoints found");

        foreach (var (method, path, endpoint) in endpoints)
        {
            var operation = _document["paths"]?[path]?[method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {path} is not in the OpenAPI document");
            var responses = operation!["responses"]!.AsObject();
            foreach (var produces in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>())
                Assert.True(responses.ContainsKey(produces.StatusCode.ToString()), $"{method} {path}: response {produces.StatusCode} is missing");
            Assert.Contains(responses, r => r.Key.StartsWith('2') || r.Key == "304");
        }
    }

    [Fact]
    public void Problem_responses_are_problem_json_and_the_leaderboard_lists_its_formats()
    {
        foreach (var (path, methods) in _document["paths"]!.AsObject())
        foreach (var (method, operation) in methods!.AsObject())
        foreach (var (status, response) in operation!["responses"]!.AsObject())
        {
            if (status[0] is '4' or '5')
                Assert.True(response!["content"]?["application/problem+json"] is not null, $"{method} {path} {status} is not problem+json");
        }
        var leaderboard = _document["paths"]!["/api/v1/tracks/{slug}/leaderboard"]!["get"]!["responses"]!;
        Assert.NotNull(leaderboard["200"]!["content"]!["application/json"]);
        Assert.NotNull(leaderboard["200"]!["content"]!["text/csv"]);
        Assert.NotNull(leaderboard["304"]);
    }

    [Fact]
    public void Writes_that_need_an_account_name_the_bearer_scheme_and_their_401()
    {
        Assert.Equal("bearer", (string)_document["components"]!["securitySchemes"]![ApiDocumentation.BearerScheme]!["scheme"]!);
        var writes = ApiEndpoints().Where(e => e.Endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null).ToList();
        Assert.Contains(writes, w => w.Endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == "CreateSubmission");
        Assert.Contains(writes, w => w.Endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == "CancelRun");
        foreach (var (method, path, _) in writes)
        {
            var operation = _document["paths"]![path]![method.ToLowerInvariant()]!;
            Assert.True(operation["security"]?[0]?[ApiDocumentation.BearerScheme] is not null, $"{method} {path} has no Bearer requirement");
            Assert.NotNull(operation["responses"]!["401"]);
        }
    }

    /// <summary>The app's /api routes as (method, OpenAPI path, endpoint): route constraints dropped ({id:long} → {id}).</summary>
    private IEnumerable<(string Method, string Path, RouteEndpoint Endpoint)> ApiEndpoints() =>
        from endpoint in _platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        let pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/')
        where pattern.StartsWith("/api/", StringComparison.Ordinal)
        from method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []
        select (method, Constraint().Replace(pattern, "}").TrimEnd('/'), endpoint);

    [GeneratedRegex(@":[^}]+\}")]
    private static partial Regex Constraint();
}

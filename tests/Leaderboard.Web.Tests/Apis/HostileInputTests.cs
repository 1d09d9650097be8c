using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Leaderboard.Data;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Leaderboard.Web.Tests.Apis;

/// <summary>
/// Every write endpoint against bodies a careless or hostile client sends: always a 4xx problem (never a 500), the
/// field named where there is one, and nothing stored.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private PlatformFactory _platform = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _platform = await PlatformFactory.StartAsync();
        _client = await _platform.CreateUserClientAsync("mallory");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _platform.DisposeAsync();
    }

    private static readonly Dictionary<string, Func<JsonObject>> ValidBodies = new()
    {
        ["/api/v1/submissions"] = () => new() { ["track"] = PlatformFactory.TestTrackSlug, ["name"] = "n", ["recipe"] = TestRecipes.Small },
        ["/api/v1/recipes/validate"] = () => new() { ["track"] = PlatformFactory.TestTrackSlug, ["recipe"] = TestRecipes.Small },
        ["/api/v1/tokens"] = () => new() { ["name"] = "n" },
        ["/api/v1/webhooks"] = () => new() { ["url"] = "http://127.0.0.1:9/hook" },
    };

    public enum Hostility { Malformed, NotAnObject, JsonNull, Empty, Oversized, UnknownField, WrongType, ControlCharacter, TooLong, DeepNesting, NotJson }

    public static TheoryData<string, Hostility> Cases()
    {
        var data = new TheoryData<string, Hostility>();
        foreach (var path in ValidBodies.Keys)
            foreach (var kind in Enum.GetValues<Hostility>())
                data.Add(path, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_bodies_get_a_4xx_problem_and_nothing_is_stored(string path, Hostility kind)
    {
        var before = await CountEverythingAsync();
        var (body, mediaType, field) = Build(ValidBodies[path](), kind);

        using var content = new StringContent(body, Encoding.UTF8, mediaType);
        var response = await _client.PostAsync(path, content);

        var expected = kind switch
        {
            Hostility.Oversized => HttpStatusCode.RequestEntityTooLarge,
            Hostility.NotJson => HttpStatusCode.UnsupportedMediaType,
            _ => HttpStatusCode.BadRequest,
        };
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            var errors = (await response.ReadObjectAsync())["errors"]?.AsObject();
            Assert.True(errors?.ContainsKey(field) == true, $"expected an error on '{field}', got: {errors?.ToJsonString()}");
        }
        Assert.Equal(before, await CountEverythingAsync());
    }

    /// <summary>The endpoints without a body: ids that are not ids, and bodies they do not take.</summary>
    [Theory]
    [InlineData("/api/v1/runs/abc/cancel")]
    [InlineData("/api/v1/runs/99999999999999999999999/cancel")]
    [InlineData("/api/v1/submissions/-1/rerun")]
    [InlineData("/api/v1/submissions/1%20OR%201=1/rerun")]
    public async Task Hostile_ids_are_404_and_change_nothing(string path)
    {
        var before = await CountEverythingAsync();

        using var content = new StringContent("{\"x\":1}", Encoding.UTF8, "application/json");
        var response = await _client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await CountEverythingAsync());
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_400_problem()
    {
        var response = await _client.GetAsync("/api/v1/submissions?limit=lots");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit", (string)(await response.ReadObjectAsync())["errors"]!["request"]![0]!);
    }

    [Fact]
    public async Task An_oversized_body_to_a_bodyless_write_is_413()
    {
        using var content = new StringContent(new string('x', 300 * 1024), Encoding.UTF8, "application/json");
        var response = await _client.PostAsync("/api/v1/runs/1/cancel", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>The hostile body, its media type, and the field the problem must name (null: the body as a whole).</summary>
    private static (string Body, string MediaType, string? Field) Build(JsonObject valid, Hostility kind)
    {
        var firstField = valid.First().Key;
        switch (kind)
        {
            case Hostility.Malformed: return ("{\"" + firstField + "\": ", "application/json", null);
            case Hostility.NotAnObject: return ("[1, 2, 3]", "application/json", null);
            case Hostility.JsonNull: return ("null", "application/json", null);
            case Hostility.Empty: return ("", "application/json", null);
            case Hostility.Oversized:
                valid[firstField] = new string('a', 300 * 1024);
                return (valid.ToJsonString(), "application/json", null);
            case Hostility.UnknownField:
                valid["isAdmin"] = true;
                return (valid.ToJsonString(), "application/json", "isAdmin");
            case Hostility.WrongType:
                valid[firstField] = new JsonArray(1, 2);
                return (valid.ToJsonString(), "application/json", firstField);
            case Hostility.ControlCharacter:
                valid[firstField] = firstField == "url" ? "http://127.0.0.1/\u0000hook" : "bad\u0007name\u001b[31m";
                return (valid.ToJsonString(), "application/json", firstField);
            case Hostility.TooLong:
                valid[firstField] = (firstField == "url" ? "http://127.0.0.1/" : "") + new string('a', 70 * 1024);
                return (valid.ToJsonString(), "application/json", firstField);
            case Hostility.DeepNesting:
                valid[firstField] = "placeholder";
                return (valid.ToJsonString().Replace("\"placeholder\"", new string('[', 200) + new string(']', 200), StringComparison.Ordinal), "application/json", null);
            default:
                return (valid.ToJsonString(), "text/plain", null);
        }
    }

    private async Task<string> CountEverythingAsync()
    {
        await using var scope = _platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        await using var connection = new NpgsqlConnection(_platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM hangfire.job", connection);
        return $"submissions {await db.Submissions.CountAsync()}, runs {await db.Runs.CountAsync()}, tokens {await db.ApiTokens.CountAsync()}, "
            + $"webhooks {await db.Webhooks.CountAsync()}, jobs {await command.ExecuteScalarAsync()}";
    }
}

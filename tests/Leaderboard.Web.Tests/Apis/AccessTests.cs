using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Features.Accounts;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Apis;

/// <summary>Who may write: accounts, API tokens (revocable), the bootstrap admin token, and the ownership rule on cancel and re-run.</summary>
public sealed class AccessTests : IAsyncLifetime
{
    private const string BootstrapToken = "bootstrap-admin-token-0123456789";
    private PlatformFactory _platform = null!;

    public async Task InitializeAsync() =>
        _platform = await PlatformFactory.StartAsync(settings: new Dictionary<string, string>
        {
            ["Admin:Token"] = BootstrapToken,
            ["Admin:Email"] = "root@example.test",
            ["Admin:Password"] = "first admin password",
        });

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    public static TheoryData<string, string> Writes => new()
    {
        { "POST", "/api/v1/submissions" },
        { "POST", "/api/v1/submissions/1/rerun" },
        { "POST", "/api/v1/runs/1/cancel" },
        { "POST", "/api/v1/tokens" },
        { "DELETE", "/api/v1/tokens/1" },
        { "POST", "/api/v1/webhooks" },
        { "DELETE", "/api/v1/webhooks/1" },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Writes_without_a_token_are_401_problems(string method, string path)
    {
        using var anonymous = _platform.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { }) : null };
        var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", (string)(await response.ReadObjectAsync())["detail"]!);
    }

    [Fact]
    public async Task A_submission_with_an_unknown_token_is_401_and_stores_nothing()
    {
        using var client = _platform.CreateClient("lbt_not-a-token");

        var response = await client.SubmitAsync(PlatformFactory.TestTrackSlug, "x", TestRecipes.Small);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await CountAsync(db => db.Submissions));
    }

    [Fact]
    public async Task A_token_created_over_the_API_works_until_it_is_revoked()
    {
        using var alice = await _platform.CreateUserClientAsync("alice");
        var created = await alice.PostAsJsonAsync("/api/v1/tokens", new { name = "ci" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = await created.ReadObjectAsync();
        var secret = (string)token["token"]!;
        using var ci = _platform.CreateClient(secret);

        Assert.Equal(HttpStatusCode.Created, (await ci.SubmitAsync(PlatformFactory.TestTrackSlug, "from ci", TestRecipes.Small)).StatusCode);
        var listed = JsonNode.Parse(await alice.GetStringAsync("/api/v1/tokens"))!.AsArray().Single(t => (string)t!["name"]! == "ci")!;
        Assert.NotNull((string?)listed["lastUsedAt"]);
        Assert.DoesNotContain(secret, listed.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(ApiTokens.Hash(secret), await WithDbAsync(db => db.ApiTokens.Where(t => t.Name == "ci").Select(t => t.Hash).SingleAsync()));

        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/api/v1/tokens/{(long)token["id"]!}")).StatusCode);

        var revoked = await ci.SubmitAsync(PlatformFactory.TestTrackSlug, "after revoke", TestRecipes.Small);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("revoked", (string)(await revoked.ReadObjectAsync())["detail"]!);
        Assert.Equal(1, await CountAsync(db => db.Submissions));
    }

    [Fact]
    public async Task A_user_cannot_revoke_another_users_token()
    {
        var bob = await _platform.CreateUserAsync("bob");
        using var alice = await _platform.CreateUserClientAsync("alice");
        var bobsTokenId = await WithDbAsync(db => db.ApiTokens.Where(t => t.UserId == bob.Id).Select(t => t.Id).SingleAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await alice.DeleteAsync($"/api/v1/tokens/{bobsTokenId}")).StatusCode);
        Assert.Null(await WithDbAsync(db => db.ApiTokens.Where(t => t.Id == bobsTokenId).Select(t => t.RevokedAt).SingleAsync()));
    }

    [Fact]
    public async Task Another_users_cancel_is_403_and_the_run_stays_queued()
    {
        using var alice = await _platform.CreateUserClientAsync("alice");
        using var bob = await _platform.CreateUserClientAsync("bob");
        var runId = await SubmitAsync(alice, "alice's run");

        var response = await bob.PostAsync($"/api/v1/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(RunStatus.Queued, await WithDbAsync(db => db.Runs.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync()));
        Assert.Equal(HttpStatusCode.Accepted, (await alice.PostAsync($"/api/v1/runs/{runId}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task The_bootstrap_admin_token_may_cancel_anyones_run()
    {
        using var alice = await _platform.CreateUserClientAsync("alice");
        using var admin = _platform.CreateClient(BootstrapToken);
        var runId = await SubmitAsync(alice, "alice's run");

        var response = await admin.PostAsync($"/api/v1/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Cancelled", (string)(await response.ReadObjectAsync())["status"]!);
    }

    [Fact]
    public async Task The_configured_first_admin_exists_with_the_admin_role()
    {
        await using var scope = _platform.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var admin = await users.FindByEmailAsync("root@example.test");

        Assert.NotNull(admin);
        Assert.True(await users.IsInRoleAsync(admin, Roles.Admin));
        Assert.True(await users.CheckPasswordAsync(admin, "first admin password"));
    }

    [Fact]
    public async Task Rerun_queues_a_new_run_of_the_same_recipe_for_its_owner_only()
    {
        using var alice = await _platform.CreateUserClientAsync("alice");
        using var bob = await _platform.CreateUserClientAsync("bob");
        var created = await (await alice.SubmitAsync(PlatformFactory.TestTrackSlug, "again", TestRecipes.Small)).ReadObjectAsync();
        var (submissionId, firstRun) = ((long)created["id"]!, (long)created["runId"]!);

        Assert.Equal(HttpStatusCode.Conflict, (await alice.PostAsync($"/api/v1/submissions/{submissionId}/rerun", null)).StatusCode);
        await alice.PostAsync($"/api/v1/runs/{firstRun}/cancel", null);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync($"/api/v1/submissions/{submissionId}/rerun", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsync("/api/v1/submissions/999999/rerun", null)).StatusCode);

        var rerun = await alice.PostAsync($"/api/v1/submissions/{submissionId}/rerun", null);

        Assert.Equal(HttpStatusCode.Accepted, rerun.StatusCode);
        var body = await rerun.ReadObjectAsync();
        Assert.Equal("Queued", (string)body["status"]!);
        Assert.NotEqual(firstRun, (long)body["runId"]!);
        Assert.Equal([firstRun, (long)body["runId"]!], body["runIds"]!.AsArray().Select(id => (long)id!).ToArray());
        Assert.Equal((string)created["recipeHash"]!, (string)body["recipeHash"]!);
        Assert.Equal(2, await CountAsync(db => db.Runs));
    }

    [Fact]
    public async Task A_submission_belongs_to_its_author()
    {
        var alice = await _platform.CreateUserAsync("alice");
        using var client = _platform.CreateClient(alice);

        var created = await (await client.SubmitAsync(PlatformFactory.TestTrackSlug, "mine", TestRecipes.Small)).ReadObjectAsync();

        Assert.Equal("alice", (string)created["owner"]!);
        Assert.Equal(alice.Id, await WithDbAsync(db => db.Submissions.Select(s => s.OwnerId).SingleAsync()));
    }

    [Fact]
    public async Task The_openapi_document_declares_the_bearer_scheme_on_the_writes()
    {
        using var anonymous = _platform.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;

        Assert.Equal("bearer", (string)document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!);
        Assert.NotNull(document["paths"]!["/api/v1/submissions"]!["post"]!["security"]);
        Assert.NotNull(document["paths"]!["/api/v1/runs/{id}/cancel"]!["post"]!["security"]);
        Assert.Null(document["paths"]!["/api/v1/tracks"]!["get"]!["security"]);
    }

    private static async Task<long> SubmitAsync(HttpClient client, string name)
    {
        var response = await client.SubmitAsync(PlatformFactory.TestTrackSlug, name, TestRecipes.Small);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (long)(await response.ReadObjectAsync())["runId"]!;
    }

    private Task<int> CountAsync<T>(Func<LeaderboardDbContext, IQueryable<T>> set) => WithDbAsync(db => set(db).CountAsync());

    private async Task<T> WithDbAsync<T>(Func<LeaderboardDbContext, Task<T>> query)
    {
        await using var scope = _platform.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>());
    }
}

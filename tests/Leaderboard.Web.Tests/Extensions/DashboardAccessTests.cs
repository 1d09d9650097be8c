using System.Net;
using System.Security.Claims;
using Leaderboard.Data;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Extensions;

/// <summary>
/// The Hangfire dashboard at /hangfire: 401 for anonymous requests, read-only for signed-in users, full for admins.
/// Users come from a test middleware (header X-Test-User, X-Test-Role) in place of the site's sign-in.
/// </summary>
public sealed class DashboardAccessTests : IAsyncLifetime
{
    private PlatformFactory _platform = null!;

    public async Task InitializeAsync() => _platform = await PlatformFactory.StartAsync(worker: false);

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    private WebApplicationFactoryClient CreateClients() =>
        new(_platform.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, TestUsers>())));

    [Fact]
    public async Task An_anonymous_request_gets_401()
    {
        using var clients = CreateClients();
        using var client = clients.For(user: null, role: null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire/jobs/enqueued")).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_user_sees_the_dashboard_read_only_and_an_admin_can_act()
    {
        using var clients = CreateClients();
        using var user = clients.For("alice", role: null);
        using var admin = clients.For("root", role: "admin");

        var submission = await (await admin.SubmitAsync(PlatformFactory.TestTrackSlug, "queued", TestRecipes.Small)).ReadObjectAsync();
        await using var scope = _platform.Services.CreateAsyncScope();
        var jobId = await scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>().Runs
            .Where(r => r.Id == (long)submission["runId"]!).Select(r => r.JobId).SingleAsync();

        var asUser = await user.GetAsync($"/hangfire/jobs/details/{jobId}");
        var asAdmin = await admin.GetAsync($"/hangfire/jobs/details/{jobId}");

        Assert.Equal(HttpStatusCode.OK, asUser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        // The job page offers its Requeue/Delete buttons only when the dashboard is not read-only.
        Assert.DoesNotContain($"/hangfire/jobs/actions/delete/{jobId}", await asUser.Content.ReadAsStringAsync());
        Assert.Contains($"/hangfire/jobs/actions/delete/{jobId}", await asAdmin.Content.ReadAsStringAsync());
    }

    /// <summary>Signs the request in as X-Test-User (with role X-Test-Role) when the header is there.</summary>
    private sealed class TestUsers : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers["X-Test-User"].ToString() is { Length: > 0 } name)
                {
                    List<Claim> claims = [new(ClaimTypes.Name, name)];
                    if (context.Request.Headers["X-Test-Role"].ToString() is { Length: > 0 } role) claims.Add(new(ClaimTypes.Role, role));
                    context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Test"));
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed class WebApplicationFactoryClient(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory) : IDisposable
    {
        public HttpClient For(string? user, string? role)
        {
            var client = factory.CreateClient();
            if (user is not null) client.DefaultRequestHeaders.Add("X-Test-User", user);
            if (role is not null) client.DefaultRequestHeaders.Add("X-Test-Role", role);
            return client;
        }

        public void Dispose() => factory.Dispose();
    }
}

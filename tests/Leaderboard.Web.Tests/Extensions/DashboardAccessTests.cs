using System.Net;
using Leaderboard.Data;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Extensions;

/// <summary>
/// The Hangfire dashboard at /hangfire: 401 for anonymous requests, read-only for signed-in users, full for admins
/// (accounts authenticated by their API tokens, as any API client).
/// </summary>
public sealed class DashboardAccessTests : IAsyncLifetime
{
    private PlatformFactory _platform = null!;

    public async Task InitializeAsync() => _platform = await PlatformFactory.StartAsync(worker: false);

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task An_anonymous_request_gets_401()
    {
        using var client = _platform.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/hangfire/jobs/enqueued")).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_user_sees_the_dashboard_read_only_and_an_admin_can_act()
    {
        using var user = _platform.CreateClient(await _platform.CreateUserAsync("alice"));
        using var admin = _platform.CreateClient(await _platform.CreateUserAsync("root", admin: true));
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
}

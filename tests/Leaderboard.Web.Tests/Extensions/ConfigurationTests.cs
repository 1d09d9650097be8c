using Leaderboard.Web.Tests.Infrastructure;

namespace Leaderboard.Web.Tests.Extensions;

/// <summary>The web app's configuration at start: a bad value stops it naming the variable; secrets never show up in logs, health or metrics.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Webhooks:MaxAttempts", "0", "Webhooks__MaxAttempts")]
    [InlineData("Webhooks:Timeout", "-00:00:01", "Webhooks__Timeout")]
    [InlineData("Quotas:Tracks:synthetic-test:MaxActiveRuns", "0", "Quotas__Tracks__synthetic-test__MaxActiveRuns")]
    [InlineData("RateLimits:WritesPerMinute", "0", "RateLimits__WritesPerMinute")]
    [InlineData("Worker:HeartbeatSeconds", "0", "Worker__HeartbeatSeconds")]
    [InlineData("Admin:Token", "too-short", "LB_ADMIN_TOKEN")]
    public async Task A_bad_setting_stops_the_web_app_at_start_naming_the_variable(string key, string value, string variable)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => PlatformFactory.StartAsync(settings: new Dictionary<string, string> { [key] = value }));

        Assert.Contains(variable, failure.ToString());
    }

    [Fact]
    public async Task Secrets_never_reach_the_logs_the_health_endpoints_or_the_metrics()
    {
        const string password = "admin-secret-b81e2a4c";
        const string token = "token-secret-5f0d9e7a3c1b42";
        await using var platform = await PlatformFactory.StartAsync(settings: new Dictionary<string, string>
        {
            ["Admin:Email"] = "root@example.org", ["Admin:Password"] = password, ["Admin:Token"] = token,
        });
        using var admin = platform.CreateClient(token);

        var seen = new List<string>
        {
            await admin.GetStringAsync("/api/v1/tokens"),
            await admin.GetStringAsync("/health/ready"),
            await admin.GetStringAsync("/metrics"),
        };
        using var wrong = platform.CreateClient(token + "x");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/tokens")).StatusCode);

        Assert.NotEmpty(platform.Logs.Lines);
        Assert.All(seen.Concat(platform.Logs.Lines), text =>
        {
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        });
    }
}

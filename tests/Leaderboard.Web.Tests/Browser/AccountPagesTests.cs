using System.Net;
using System.Text.RegularExpressions;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Web.Tests.Apis;
using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Leaderboard.Web.Tests.Browser;

/// <summary>Accounts in the browser: sign-up, API tokens (shown once, revocable), and the ownership rule on the run page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountPagesTests(BrowserFixture fixture)
{
    [Fact]
    public async Task A_visitor_who_wants_to_submit_signs_up_and_comes_back_to_the_form()
    {
        var name = $"newcomer-{Guid.NewGuid():N}"[..17];
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/tracks/{PlatformFactory.TestTrackSlug}/submit");
        await page.WaitForURLAsync(new Regex("/account/login"));

        await page.ClickAsync("form.account-form >> text=Sign up");
        await page.FillAsync("#username", name);
        await page.FillAsync("#email", $"{name}@example.test");
        await page.FillAsync("#password", "short");
        await page.ClickAsync("button[type='submit'].primary");
        await Expect(page.Locator("[data-error-for='register']").First).ToContainTextAsync("10 characters");

        await page.FillAsync("#password", "a long enough password");
        await page.ClickAsync("button[type='submit'].primary");

        await page.WaitForURLAsync(new Regex($"/tracks/{PlatformFactory.TestTrackSlug}/submit$"));
        await Expect(page.Locator("[data-user]")).ToHaveTextAsync(name);
        await BrowserFixture.ScreenshotAsync(page, "signed-up");
    }

    [Fact]
    public async Task A_token_made_on_the_tokens_page_is_shown_once_works_and_can_be_revoked()
    {
        var (page, _) = await fixture.SignedInPageAsync("tokens");
        await page.GotoAsync("/account/tokens");

        await page.FillAsync("#token-name", "laptop");
        await page.ClickAsync("text=Create token");
        var secret = (await page.Locator("[data-new-token]").TextContentAsync())!.Trim();
        Assert.StartsWith("lbt_", secret);
        await BrowserFixture.ScreenshotAsync(page, "tokens-created");
        using var client = fixture.Platform.CreateClient(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/tokens")).StatusCode);

        await page.GotoAsync("/account/tokens");
        await Expect(page.Locator("[data-new-token]")).ToHaveCountAsync(0);
        var row = page.Locator("tr", new() { HasText = "laptop" });
        await Expect(row).Not.ToContainTextAsync("never");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.Locator("button", new() { HasText = "Revoke" }).ClickAsync();

        await Expect(page.Locator("tr", new() { HasText = "laptop" })).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/tokens")).StatusCode);
    }

    [Fact]
    public async Task A_webhook_is_added_with_its_secret_shown_once_and_a_bad_url_is_named()
    {
        var (page, user) = await fixture.SignedInPageAsync("hooks");
        await page.GotoAsync("/account/tokens");

        await page.FillAsync("#webhook-url", "ftp://example.org/hook");
        await page.ClickAsync("text=Add webhook");
        await Expect(page.Locator("[data-error-for='url']")).ToContainTextAsync("http(s)");

        await page.FillAsync("#webhook-url", "https://example.org/hook");
        await page.ClickAsync("text=Add webhook");
        await Expect(page.Locator("[data-new-webhook-secret]")).ToContainTextAsync("whsec_");
        await Expect(page.Locator(".webhook h3")).ToHaveTextAsync("https://example.org/hook");
        await BrowserFixture.ScreenshotAsync(page, "webhooks");

        await using var scope = fixture.Platform.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>().Webhooks.SingleAsync(w => w.UserId == user.Id);
        Assert.DoesNotContain("whsec_", stored.ProtectedSecret, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_author_sees_cancel_on_the_run_page_and_can_cancel()
    {
        var (ownerPage, owner) = await fixture.SignedInPageAsync("owner");
        var (otherPage, _) = await fixture.SignedInPageAsync("other");
        using var api = fixture.Platform.CreateClient(owner);
        var runId = (long)(await (await api.SubmitAsync(PlatformFactory.TestTrackSlug, "owned run", TestRecipes.Small)).ReadObjectAsync())["runId"]!;

        await otherPage.GotoAsync($"/runs/{runId}");
        await Expect(otherPage.Locator("#run-status .badge")).ToHaveTextAsync("Queued");
        await Expect(otherPage.Locator("#run-status button")).ToHaveCountAsync(0);

        await ownerPage.GotoAsync($"/runs/{runId}");
        await ownerPage.ClickAsync("#run-status [data-cancel]");
        await ownerPage.ClickAsync("#run-status [data-confirm-cancel]");
        await Expect(ownerPage.Locator("#run-status .badge")).ToHaveTextAsync("Cancelled");

        await ownerPage.ClickAsync("#run-status button:has-text('Re-run seed 1')");
        await ownerPage.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        await Expect(ownerPage.Locator("#run-status .badge")).ToHaveTextAsync("Queued");
        Assert.DoesNotContain($"/runs/{runId}", ownerPage.Url, StringComparison.Ordinal);
        await using var scope = fixture.Platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>();
        Assert.Equal(RunStatus.Cancelled, await db.Runs.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync());
    }
}

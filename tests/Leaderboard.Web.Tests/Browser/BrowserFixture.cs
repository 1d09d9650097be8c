using Leaderboard.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Leaderboard.Web.Tests.Browser;

/// <summary>
/// One platform (real Kestrel, fresh PostgreSQL database, no worker) and one headless Debian Chromium shared by the
/// browser tests. Playwright drives /usr/bin/chromium; it never downloads a browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Screenshots of each page, for a person to look at (not compared): $LB_SCREENSHOTS, or lb-screenshots in the temp folder.</summary>
    public static readonly string ScreenshotDirectory =
        Environment.GetEnvironmentVariable("LB_SCREENSHOTS") is { Length: > 0 } folder ? folder : Path.Combine(Path.GetTempPath(), "lb-screenshots");

    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    /// <summary>A phone's width (iPhone 12–15).</summary>
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private IPlaywright? _playwright;

    public PlatformFactory Platform { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await PlatformFactory.StartAsync(worker: false, kestrel: true);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
        // Live pages answer over a circuit on a loaded 2-core box: give expectations room (a passing one returns at once).
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions
        {
            BaseURL = Platform.ServerAddress.ToString(),
            ViewportSize = Desktop,
        });
        // Actions and navigations too (a submit that creates the run and queues it took over 10 s once under load).
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>A page signed in as a new account (created through the app's services, signed in through the sign-in form).</summary>
    public async Task<(IPage Page, TestUser User)> SignedInPageAsync(string userNamePrefix)
    {
        var user = await Platform.CreateUserAsync($"{userNamePrefix}-{Guid.NewGuid():N}"[..(userNamePrefix.Length + 9)]);
        var page = await NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#login", user.UserName);
        await page.FillAsync("#password", user.Password);
        await page.ClickAsync("button[type='submit'].primary");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        return (page, user);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>The page at desktop width (name.png) and at a phone's width (name-phone.png); the viewport is restored.</summary>
    public static async Task ScreenshotBothAsync(IPage page, string name)
    {
        await ScreenshotAsync(page, name);
        await page.SetViewportSizeAsync(Phone.Width, Phone.Height);
        await ScreenshotAsync(page, name + "-phone");
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Platform is not null) await Platform.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

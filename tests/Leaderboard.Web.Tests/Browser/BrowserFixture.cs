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

    /// <summary>Screenshots of each page, for a person to look at (not compared).</summary>
    public static readonly string ScreenshotDirectory = Path.Combine(Path.GetTempPath(), "lb-screenshots");

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
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions
        {
            BaseURL = Platform.ServerAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        page.SetDefaultTimeout(10_000);
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

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

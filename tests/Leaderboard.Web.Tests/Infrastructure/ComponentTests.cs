using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Recipes;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Leaderboard.Web.Tests.Infrastructure;

/// <summary>One platform (fresh PostgreSQL database, no worker, no server) whose services the component tests render against.</summary>
public sealed class ComponentPlatformFixture : IAsyncLifetime
{
    public PlatformFactory Platform { get; private set; } = null!;

    public async Task InitializeAsync() => Platform = await PlatformFactory.StartAsync(worker: false);

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ComponentCollection : ICollectionFixture<ComponentPlatformFixture>
{
    public const string Name = "Components";
}

/// <summary>
/// A bunit context whose components get the app's real services (database, feed, watcher, submission service) from a
/// scope of the platform; bunit supplies navigation, JS interop (loose: calls are recorded) and the signed-in user.
/// Rendered as an interactive server circuit would render them.
/// </summary>
public abstract class PlatformComponentTest : BunitContext
{
    private readonly AsyncServiceScope _scope;

    protected PlatformComponentTest(ComponentPlatformFixture fixture)
    {
        Platform = fixture.Platform;
        _scope = Platform.Services.CreateAsyncScope();
        Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Authorization = AddAuthorization();
        // The database and the watcher's 1 s poll answer asynchronously; a loaded 2-core box needs headroom.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>The visitor: anonymous until <see cref="SignInAsync"/>.</summary>
    protected BunitAuthorizationContext Authorization { get; }

    protected PlatformFactory Platform { get; }

    protected async Task<TestUser> SignInAsync(string prefix)
    {
        var user = await Platform.CreateUserAsync($"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)]);
        Authorization.SetAuthorized(user.UserName).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        return user;
    }

    protected async Task<T> WithDbAsync<T>(Func<LeaderboardDbContext, Task<T>> action)
    {
        await using var scope = Platform.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LeaderboardDbContext>());
    }

    /// <summary>A new track of its own (so tests sharing the database do not see each other's entries).</summary>
    protected Task<Track> NewTrackAsync(string prefix) => WithDbAsync(async db =>
    {
        var track = new Track
        {
            Slug = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)], Name = $"{prefix} track", Dataset = "synthetic", NumClasses = 10,
            TrainImages = 1000, BudgetSeconds = 120, Hardware = "cpu", ReferenceTflops = 0.2, MaxImageSize = 64, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Tracks.Add(track);
        await db.SaveChangesAsync();
        return track;
    });

    /// <summary>A completed, scored submission as the worker leaves it.</summary>
    protected static Submission CompletedSubmission(int trackId, string name, double top1, string recipe = "model:\n  variant: tiny\n",
        string? owner = null, long parameters = 5_700_000, double gflops = 0.05, double trainSeconds = 110)
    {
        var parsed = RecipeParser.Parse(recipe).Recipe ?? throw new ArgumentException($"Invalid test recipe: {recipe}");
        var at = DateTimeOffset.UtcNow;
        return new Submission
        {
            TrackId = trackId, Name = name, Owner = owner, RecipeText = recipe, RecipeCanonical = RecipeCanonical.ToCanonicalJson(parsed),
            RecipeHash = RecipeCanonical.Hash(parsed), EstimatedParams = parameters, EstimatedGflops = gflops, CreatedAt = at,
            Runs =
            [
                new Run
                {
                    Status = RunStatus.Completed, QueuedAt = at, StartedAt = at, FinishedAt = at, Elapsed = trainSeconds,
                    Result = new Result
                    {
                        Top1 = top1, Top5 = Math.Min(100, top1 + 20), Params = parameters, Gflops = gflops, ImagesPerSecond = 900, TrainSeconds = trainSeconds,
                        EvalImages = 500, EvalImageSize = 64, Device = "cpu (test)", Library = "TorchSharp 0.107.0", RecipeHash = RecipeCanonical.Hash(parsed),
                        Seed = 0, CodeVersion = "test", CreatedAt = at,
                    },
                },
            ],
        };
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _scope.DisposeAsync();
    }
}

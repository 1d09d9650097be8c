using Leaderboard.Web.Components;
using Leaderboard.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();

var app = builder.Build();
await app.PrepareDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseApiBodyLimit();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapApi();
app.MapJobsDashboard();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation("Leaderboard is up: {Urls}", string.Join(", ", app.Urls)));

await app.RunAsync();

public partial class Program;

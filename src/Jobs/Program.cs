using Leaderboard.Data;
using Leaderboard.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// A worker node (./lb worker): one process per node, serving the Hangfire queue of its hardware class (found with
// nvidia-smi), one run per GPU, registered in the nodes table. It answers /health/live, /health/ready and
// /health/node on ASPNETCORE_URLS (default http://127.0.0.1:5081).
var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Leaderboard")
    ?? throw new InvalidOperationException("Set ConnectionStrings__Leaderboard to the platform's PostgreSQL.");
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])) builder.WebHost.UseUrls(WorkerHost.DefaultUrl);
builder.Services.AddDbContextFactory<LeaderboardDbContext>(o => o.UseLeaderboardDatabase(connectionString));
builder.Services.AddLeaderboardJobs(builder.Configuration, connectionString);

var app = builder.Build();
app.Services.ValidateConfiguration();
app.MapHealthEndpoints();
await app.RunAsync();

// Internal: the web app references this assembly and has its own public Program (ASP.NET Core makes a top-level Program public otherwise).
internal sealed partial class Program;

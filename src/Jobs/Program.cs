using Leaderboard.Data;
using Leaderboard.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A worker node (./lb worker): one process per node, serving the Hangfire queue of its hardware class (found with
// nvidia-smi), one run per GPU, registered in the nodes table.
var builder = Host.CreateApplicationBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Leaderboard")
    ?? throw new InvalidOperationException("Set ConnectionStrings__Leaderboard to the platform's PostgreSQL.");
builder.Services.AddDbContextFactory<LeaderboardDbContext>(o => o.UseLeaderboardDatabase(connectionString));
builder.Services.AddLeaderboardJobs(builder.Configuration, connectionString);
await builder.Build().RunAsync();

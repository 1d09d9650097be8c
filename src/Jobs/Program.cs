using Leaderboard.Data;
using Leaderboard.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// A GPU node's worker: one process per node, a scheduler instance of the platform's Quartz cluster serving its
// hardware class (Worker__Groups), training at most Worker__Concurrency runs at once (one per GPU).
var builder = Host.CreateApplicationBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Leaderboard")
    ?? throw new InvalidOperationException("Set ConnectionStrings__Leaderboard to the platform's PostgreSQL.");
builder.Services.AddDbContextFactory<LeaderboardDbContext>(o => o.UseLeaderboardDatabase(connectionString));
builder.Services.AddLeaderboardJobs(builder.Configuration, connectionString);
await builder.Build().RunAsync();

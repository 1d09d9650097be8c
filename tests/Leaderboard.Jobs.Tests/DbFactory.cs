using Leaderboard.Data;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Jobs.Tests;

internal sealed class DbFactory(string connectionString) : IDbContextFactory<LeaderboardDbContext>
{
    public LeaderboardDbContext CreateDbContext() =>
        new((DbContextOptions<LeaderboardDbContext>)new DbContextOptionsBuilder<LeaderboardDbContext>().UseLeaderboardDatabase(connectionString).Options);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Leaderboard.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without a running app or database (migrations are generated
/// from the model; the connection string is never opened for that).
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LeaderboardDbContext>
{
    public LeaderboardDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<LeaderboardDbContext>)new DbContextOptionsBuilder<LeaderboardDbContext>()
            .UseLeaderboardDatabase("Host=127.0.0.1;Database=leaderboard")
            .Options);
}

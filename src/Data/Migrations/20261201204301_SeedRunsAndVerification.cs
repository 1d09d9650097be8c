using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Leaderboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class SeedRunsAndVerification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "max_seeds",
                table: "tracks",
                type: "integer",
                nullable: false,
                defaultValue: 3);

            migrationBuilder.AddColumn<int>(
                name: "seeds",
                table: "submissions",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "seed",
                table: "runs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // --- Raw SQL (carry over when migrations are regenerated): data for the new columns. ---
            // Every run so far trained with its recipe's seed; the CPU and 1 h tracks allow 5 seeds, the 24 h track 3.
            migrationBuilder.Sql("""
                UPDATE runs r SET seed = coalesce((s.recipe_canonical ->> 'seed')::bigint, 0) FROM submissions s WHERE s.id = r.submission_id;
                UPDATE tracks SET max_seeds = 5 WHERE slug IN ('imagenet1k-1gpu-1h', 'synthetic-cpu-2min');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "max_seeds",
                table: "tracks");

            migrationBuilder.DropColumn(
                name: "seeds",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "seed",
                table: "runs");
        }
    }
}

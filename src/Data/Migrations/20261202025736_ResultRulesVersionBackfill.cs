using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Leaderboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class ResultRulesVersionBackfill : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Results from before provenance (FairnessAndLiteratureMethods) did not record their rules version. Every track
            // ran rules v1 until then, so they trained under v1; the leaderboard marks them where a track has moved on
            // (the synthetic track: v2, CPU seconds).
            migrationBuilder.Sql("UPDATE results SET rules_version = '1' WHERE rules_version IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the backfilled version is what those results trained under, and the column stays.
        }
    }
}

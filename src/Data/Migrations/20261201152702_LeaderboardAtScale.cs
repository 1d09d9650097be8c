using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Leaderboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class LeaderboardAtScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "leaderboard_version",
                table: "tracks",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string[]>(
                name: "components",
                table: "submissions",
                type: "text[]",
                nullable: false,
                computedColumnSql: "array_remove(ARRAY[\n    CASE WHEN recipe_canonical #>> '{model,ffn}' = 'locality' THEN 'locality' END,\n    CASE WHEN recipe_canonical #>> '{model,ffn}' = 'localvit' THEN 'localvit' END,\n    CASE WHEN jsonb_typeof(recipe_canonical #> '{data,curriculum}') = 'object' THEN 'curriculum' END,\n    CASE WHEN recipe_canonical #>> '{model,tokenizer}' = 'spt' THEN 'spt' END,\n    CASE WHEN recipe_canonical #>> '{model,attention}' = 'lsa' THEN 'lsa' END,\n    CASE WHEN recipe_canonical #> '{model,distillation_token}' = 'true'::jsonb THEN 'distillation' END,\n    CASE WHEN jsonb_typeof(recipe_canonical #> '{model,layer_scale}') = 'number' THEN 'layerscale' END,\n    CASE WHEN jsonb_typeof(recipe_canonical #> '{training,ema}') = 'number' THEN 'ema' END,\n    CASE WHEN jsonb_typeof(recipe_canonical #> '{data,mixup}') = 'number' AND (recipe_canonical #>> '{data,mixup}')::float8 > 0 THEN 'mixup' END,\n    CASE WHEN jsonb_typeof(recipe_canonical #> '{data,cutmix}') = 'number' AND (recipe_canonical #>> '{data,cutmix}')::float8 > 0 THEN 'cutmix' END\n]::text[], NULL)",
                stored: true);

            migrationBuilder.AddColumn<string>(
                name: "model_family",
                table: "submissions",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                computedColumnSql: "coalesce(recipe_canonical #>> '{model,variant}', 'tiny')",
                stored: true);

            migrationBuilder.CreateTable(
                name: "reported_results",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    track_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    top1 = table.Column<double>(type: "double precision", nullable: false),
                    top5 = table.Column<double>(type: "double precision", nullable: true),
                    @params = table.Column<long>(name: "params", type: "bigint", nullable: true),
                    gflops = table.Column<double>(type: "double precision", nullable: true),
                    setting = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    within_track_rules = table.Column<bool>(type: "boolean", nullable: false),
                    source = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    source_url = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reported_results", x => x.id);
                    table.ForeignKey(
                        name: "fk_reported_results_tracks",
                        column: x => x.track_id,
                        principalTable: "tracks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_submissions_components",
                table: "submissions",
                column: "components")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_submissions_track_id_model_family",
                table: "submissions",
                columns: new[] { "track_id", "model_family" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_completed_submission_id",
                table: "runs",
                column: "submission_id",
                filter: "status = 'Completed'");

            migrationBuilder.CreateIndex(
                name: "ix_runs_queued_at",
                table: "runs",
                column: "queued_at");

            migrationBuilder.CreateIndex(
                name: "ix_results_device",
                table: "results",
                column: "device");

            migrationBuilder.CreateIndex(
                name: "ix_reported_results_track_id_name",
                table: "reported_results",
                columns: new[] { "track_id", "name" },
                unique: true);

            // Raw SQL (carry over as is): triggers that bump tracks.leaderboard_version and NOTIFY leaderboard_changed
            // whenever a track's ranking may change. The computed columns above fill themselves in for existing rows.
            migrationBuilder.Sql(LeaderboardTriggers.Create);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Raw SQL (carry over as is): the triggers go before the column they write.
            migrationBuilder.Sql(LeaderboardTriggers.Drop);

            migrationBuilder.DropTable(
                name: "reported_results");

            migrationBuilder.DropIndex(
                name: "ix_submissions_components",
                table: "submissions");

            migrationBuilder.DropIndex(
                name: "ix_submissions_track_id_model_family",
                table: "submissions");

            migrationBuilder.DropIndex(
                name: "ix_runs_completed_submission_id",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "ix_runs_queued_at",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "ix_results_device",
                table: "results");

            migrationBuilder.DropColumn(
                name: "components",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "model_family",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "leaderboard_version",
                table: "tracks");
        }
    }
}

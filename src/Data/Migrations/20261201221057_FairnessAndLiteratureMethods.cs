using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Leaderboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class FairnessAndLiteratureMethods : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "budget_mode",
                table: "tracks",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "wall");

            migrationBuilder.AddColumn<int>(
                name: "max_seeds",
                table: "tracks",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "reference_score",
                table: "tracks",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "seeds",
                table: "submissions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expected_finish",
                table: "runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "seed",
                table: "runs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "budget_mode",
                table: "results",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "calibration_score",
                table: "results",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "cpu_cores",
                table: "results",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cpu_model",
                table: "results",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cuda_version",
                table: "results",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "gpu_driver",
                table: "results",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "gpu_memory_mib",
                table: "results",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "gpu_model",
                table: "results",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "gpu_power_limit_watts",
                table: "results",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rules_version",
                table: "results",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "calibrated_at",
                table: "nodes",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "calibration_score",
                table: "nodes",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "cpu_cores",
                table: "nodes",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "cpu_model",
                table: "nodes",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cuda_version",
                table: "nodes",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "gpu_power_limit_watts",
                table: "nodes",
                type: "double precision",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "result_subnetworks",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    heads = table.Column<int>(type: "integer", nullable: false),
                    top1 = table.Column<double>(type: "double precision", nullable: false),
                    top5 = table.Column<double>(type: "double precision", nullable: false),
                    @params = table.Column<long>(name: "params", type: "bigint", nullable: false),
                    gflops = table.Column<double>(type: "double precision", nullable: false),
                    images_per_second = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_result_subnetworks", x => new { x.run_id, x.heads });
                    table.ForeignKey(
                        name: "fk_result_subnetworks_results",
                        column: x => x.run_id,
                        principalTable: "results",
                        principalColumn: "run_id",
                        onDelete: ReferentialAction.Cascade);
                });

            // --- Raw SQL (carry over when migrations are regenerated): data for the new columns (issue 12). ---
            // The synthetic CPU track counts CPU seconds, a change of its rules (v2: its earlier rows trained on wall seconds);
            // every run so far trained with its recipe's seed; the CPU and 1 h tracks allow 5 seeds, the 24 h track 3.
            migrationBuilder.Sql("UPDATE tracks SET budget_mode = 'cpu-time', rules_version = '2' WHERE slug = 'synthetic-cpu-2min';");
            migrationBuilder.Sql("""
                UPDATE runs r SET seed = coalesce((s.recipe_canonical ->> 'seed')::bigint, 0) FROM submissions s WHERE s.id = r.submission_id;
                UPDATE tracks SET max_seeds = 5 WHERE slug IN ('imagenet1k-1gpu-1h', 'synthetic-cpu-2min');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "result_subnetworks");

            migrationBuilder.DropColumn(
                name: "budget_mode",
                table: "tracks");

            migrationBuilder.DropColumn(
                name: "max_seeds",
                table: "tracks");

            migrationBuilder.DropColumn(
                name: "reference_score",
                table: "tracks");

            migrationBuilder.DropColumn(
                name: "seeds",
                table: "submissions");

            migrationBuilder.DropColumn(
                name: "expected_finish",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "seed",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "budget_mode",
                table: "results");

            migrationBuilder.DropColumn(
                name: "calibration_score",
                table: "results");

            migrationBuilder.DropColumn(
                name: "cpu_cores",
                table: "results");

            migrationBuilder.DropColumn(
                name: "cpu_model",
                table: "results");

            migrationBuilder.DropColumn(
                name: "cuda_version",
                table: "results");

            migrationBuilder.DropColumn(
                name: "gpu_driver",
                table: "results");

            migrationBuilder.DropColumn(
                name: "gpu_memory_mib",
                table: "results");

            migrationBuilder.DropColumn(
                name: "gpu_model",
                table: "results");

            migrationBuilder.DropColumn(
                name: "gpu_power_limit_watts",
                table: "results");

            migrationBuilder.DropColumn(
                name: "rules_version",
                table: "results");

            migrationBuilder.DropColumn(
                name: "calibrated_at",
                table: "nodes");

            migrationBuilder.DropColumn(
                name: "calibration_score",
                table: "nodes");

            migrationBuilder.DropColumn(
                name: "cpu_cores",
                table: "nodes");

            migrationBuilder.DropColumn(
                name: "cpu_model",
                table: "nodes");

            migrationBuilder.DropColumn(
                name: "cuda_version",
                table: "nodes");

            migrationBuilder.DropColumn(
                name: "gpu_power_limit_watts",
                table: "nodes");
        }
    }
}

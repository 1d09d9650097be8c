using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Leaderboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class BudgetModesCalibrationProvenance : Migration
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

            migrationBuilder.AddColumn<double>(
                name: "reference_score",
                table: "tracks",
                type: "double precision",
                nullable: true);

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

            // --- data (carry over when regenerating): the synthetic CPU track counts CPU seconds (issue 12) ---
            migrationBuilder.Sql("UPDATE tracks SET budget_mode = 'cpu-time' WHERE slug = 'synthetic-cpu-2min';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "budget_mode",
                table: "tracks");

            migrationBuilder.DropColumn(
                name: "reference_score",
                table: "tracks");

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

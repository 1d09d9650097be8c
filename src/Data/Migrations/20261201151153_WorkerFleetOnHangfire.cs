using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Leaderboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class WorkerFleetOnHangfire : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // --- raw SQL (carry over when regenerating): the jobs moved from Quartz to Hangfire (its own "hangfire"
            // schema, created by Hangfire itself); the first release's Quartz tables (qrtz_*) go away.
            migrationBuilder.Sql("""
                DO $$
                DECLARE quartz_table text;
                BEGIN
                    FOR quartz_table IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'qrtz\_%' LOOP
                        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', quartz_table);
                    END LOOP;
                END $$;
                """);
            // --- end raw SQL

            migrationBuilder.AddColumn<string>(
                name: "failure_class",
                table: "runs",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "job_id",
                table: "runs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "nodes",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    hardware_class = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    slots = table.Column<int>(type: "integer", nullable: false),
                    gpu_model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    gpu_count = table.Column<int>(type: "integer", nullable: false),
                    gpu_memory_mib = table.Column<int>(type: "integer", nullable: true),
                    driver_version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    platform_version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    runtime_version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    current_run_ids = table.Column<long[]>(type: "bigint[]", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_nodes", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "run_log_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    stream = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_log_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_log_lines_runs",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_run_log_lines_run_id_id",
                table: "run_log_lines",
                columns: new[] { "run_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "nodes");

            migrationBuilder.DropTable(
                name: "run_log_lines");

            migrationBuilder.DropColumn(
                name: "failure_class",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "job_id",
                table: "runs");
        }
    }
}

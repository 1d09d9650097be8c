using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Leaderboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tracks",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    slug = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "text", nullable: false),
                    dataset = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    num_classes = table.Column<int>(type: "integer", nullable: false),
                    train_images = table.Column<int>(type: "integer", nullable: false),
                    budget_seconds = table.Column<int>(type: "integer", nullable: false),
                    hardware = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reference_tflops = table.Column<double>(type: "double precision", nullable: false),
                    max_image_size = table.Column<int>(type: "integer", nullable: false),
                    rules_version = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "submissions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    track_id = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    recipe_text = table.Column<string>(type: "text", nullable: false),
                    recipe_canonical = table.Column<string>(type: "jsonb", nullable: false),
                    recipe_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    estimated_params = table.Column<long>(type: "bigint", nullable: false),
                    estimated_gflops = table.Column<double>(type: "double precision", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_submissions", x => x.id);
                    table.ForeignKey(
                        name: "fk_submissions_tracks",
                        column: x => x.track_id,
                        principalTable: "tracks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    submission_id = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failure_reason = table.Column<string>(type: "text", nullable: true),
                    worker = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    cancel_requested = table.Column<bool>(type: "boolean", nullable: false),
                    checkpoint_path = table.Column<string>(type: "text", nullable: true),
                    elapsed = table.Column<double>(type: "double precision", nullable: true),
                    step = table.Column<long>(type: "bigint", nullable: true),
                    epoch = table.Column<double>(type: "double precision", nullable: true),
                    image_size = table.Column<int>(type: "integer", nullable: true),
                    loss = table.Column<double>(type: "double precision", nullable: true),
                    images_per_second = table.Column<double>(type: "double precision", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_runs_submissions",
                        column: x => x.submission_id,
                        principalTable: "submissions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "results",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    top1 = table.Column<double>(type: "double precision", nullable: false),
                    top5 = table.Column<double>(type: "double precision", nullable: false),
                    eval_images = table.Column<int>(type: "integer", nullable: false),
                    @params = table.Column<long>(name: "params", type: "bigint", nullable: false),
                    gflops = table.Column<double>(type: "double precision", nullable: false),
                    eval_image_size = table.Column<int>(type: "integer", nullable: false),
                    images_per_second = table.Column<double>(type: "double precision", nullable: false),
                    train_seconds = table.Column<double>(type: "double precision", nullable: true),
                    device = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    library = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    recipe_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    seed = table.Column<long>(type: "bigint", nullable: false),
                    code_version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_results", x => x.run_id);
                    table.ForeignKey(
                        name: "fk_results_runs",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_metrics",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(16)", maxLength: 16, nullable: false),
                    elapsed = table.Column<double>(type: "double precision", nullable: false),
                    step = table.Column<long>(type: "bigint", nullable: true),
                    epoch = table.Column<double>(type: "double precision", nullable: true),
                    image_size = table.Column<int>(type: "integer", nullable: true),
                    loss = table.Column<double>(type: "double precision", nullable: true),
                    lr = table.Column<double>(type: "double precision", nullable: true),
                    images_per_second = table.Column<double>(type: "double precision", nullable: true),
                    data_wait = table.Column<double>(type: "double precision", nullable: true),
                    train_top1 = table.Column<double>(type: "double precision", nullable: true),
                    message = table.Column<string>(type: "text", nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_metrics", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_metrics_runs",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_run_metrics_run_id_id",
                table: "run_metrics",
                columns: new[] { "run_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_status",
                table: "runs",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_runs_submission_id",
                table: "runs",
                column: "submission_id");

            migrationBuilder.CreateIndex(
                name: "ix_submissions_recipe_hash",
                table: "submissions",
                column: "recipe_hash");

            migrationBuilder.CreateIndex(
                name: "ix_submissions_track_id",
                table: "submissions",
                column: "track_id");

            migrationBuilder.CreateIndex(
                name: "ix_tracks_slug",
                table: "tracks",
                column: "slug",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "results");

            migrationBuilder.DropTable(
                name: "run_metrics");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "submissions");

            migrationBuilder.DropTable(
                name: "tracks");
        }
    }
}

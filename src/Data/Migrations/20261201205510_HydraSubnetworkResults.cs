using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Leaderboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class HydraSubnetworkResults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "result_subnetworks");
        }
    }
}

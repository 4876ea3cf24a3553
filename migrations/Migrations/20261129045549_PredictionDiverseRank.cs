using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class PredictionDiverseRank : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "DiverseRank",
                table: "Predictions",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Predictions_ModelVersionId_DiverseRank",
                table: "Predictions",
                columns: new[] { "ModelVersionId", "DiverseRank" },
                filter: "\"DiverseRank\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Predictions_ModelVersionId_DiverseRank",
                table: "Predictions");

            migrationBuilder.DropColumn(
                name: "DiverseRank",
                table: "Predictions");
        }
    }
}

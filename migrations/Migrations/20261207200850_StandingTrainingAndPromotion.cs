using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class StandingTrainingAndPromotion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "PromotionTolerance",
                table: "RelationProjects",
                type: "double precision",
                nullable: false,
                defaultValue: 0.01);

            migrationBuilder.AddColumn<string>(
                name: "StandingTraining",
                table: "RelationProjects",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StandingTrainingQueue",
                table: "RelationProjects",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Promotion",
                table: "ModelVersions",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PromotionReason",
                table: "ModelVersions",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PromotionTolerance",
                table: "RelationProjects");

            migrationBuilder.DropColumn(
                name: "StandingTraining",
                table: "RelationProjects");

            migrationBuilder.DropColumn(
                name: "StandingTrainingQueue",
                table: "RelationProjects");

            migrationBuilder.DropColumn(
                name: "Promotion",
                table: "ModelVersions");

            migrationBuilder.DropColumn(
                name: "PromotionReason",
                table: "ModelVersions");
        }
    }
}

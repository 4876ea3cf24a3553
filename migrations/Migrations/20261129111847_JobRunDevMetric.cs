using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class JobRunDevMetric : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DevMetricName",
                table: "JobRuns",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DevMetricValue",
                table: "JobRuns",
                type: "double precision",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DevMetricName",
                table: "JobRuns");

            migrationBuilder.DropColumn(
                name: "DevMetricValue",
                table: "JobRuns");
        }
    }
}

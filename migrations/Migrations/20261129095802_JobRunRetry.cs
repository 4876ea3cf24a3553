using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class JobRunRetry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RetryOfId",
                table: "JobRuns",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_JobRuns_RetryOfId",
                table: "JobRuns",
                column: "RetryOfId");

            migrationBuilder.AddForeignKey(
                name: "FK_JobRuns_JobRuns_RetryOfId",
                table: "JobRuns",
                column: "RetryOfId",
                principalTable: "JobRuns",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_JobRuns_JobRuns_RetryOfId",
                table: "JobRuns");

            migrationBuilder.DropIndex(
                name: "IX_JobRuns_RetryOfId",
                table: "JobRuns");

            migrationBuilder.DropColumn(
                name: "RetryOfId",
                table: "JobRuns");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class LabelLocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "LabelOverlap",
                table: "RelationProjects",
                type: "integer",
                nullable: false,
                defaultValue: 1); // existing projects: one expert per item

            migrationBuilder.CreateTable(
                name: "LabelLocks",
                columns: table => new
                {
                    CandidateId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LabelLocks", x => new { x.CandidateId, x.UserId });
                    table.ForeignKey(
                        name: "FK_LabelLocks_Candidates_CandidateId",
                        column: x => x.CandidateId,
                        principalTable: "Candidates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LabelLocks_RelationProjects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "RelationProjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LabelLocks_ProjectId_ExpiresAt",
                table: "LabelLocks",
                columns: new[] { "ProjectId", "ExpiresAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LabelLocks");

            migrationBuilder.DropColumn(
                name: "LabelOverlap",
                table: "RelationProjects");
        }
    }
}

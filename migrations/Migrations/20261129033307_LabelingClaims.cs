using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class LabelingClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LabelLocks");

            migrationBuilder.CreateTable(
                name: "LabelingClaims",
                columns: table => new
                {
                    CandidateId = table.Column<long>(type: "bigint", nullable: false),
                    Place = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    IsLabelled = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LabelingClaims", x => new { x.CandidateId, x.Place });
                    table.ForeignKey(
                        name: "FK_LabelingClaims_Candidates_CandidateId",
                        column: x => x.CandidateId,
                        principalTable: "Candidates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LabelingClaims_RelationProjects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "RelationProjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LabelingClaims_CandidateId_UserId",
                table: "LabelingClaims",
                columns: new[] { "CandidateId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LabelingClaims_ProjectId_UserId",
                table: "LabelingClaims",
                columns: new[] { "ProjectId", "UserId" });

            // Every expert's current label holds a place for good; reading locks were short-lived and are dropped.
            migrationBuilder.Sql("""
                INSERT INTO "LabelingClaims" ("CandidateId", "Place", "UserId", "ProjectId", "ExpiresAt", "IsLabelled")
                SELECT "CandidateId", (row_number() OVER (PARTITION BY "CandidateId" ORDER BY "Id") - 1)::int, "UserId", "ProjectId", "CreatedAt", true
                FROM (
                    SELECT DISTINCT ON ("CandidateId", "UserId") "Id", "CandidateId", "UserId", "ProjectId", "CreatedAt", "Kind"
                    FROM "ExpertLabels" WHERE "Kind" <> 'Adjudication'
                    ORDER BY "CandidateId", "UserId", "Id" DESC
                ) current_labels
                WHERE "Kind" = 'Label';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LabelingClaims");

            migrationBuilder.CreateTable(
                name: "LabelLocks",
                columns: table => new
                {
                    CandidateId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ProjectId = table.Column<int>(type: "integer", nullable: false)
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
    }
}

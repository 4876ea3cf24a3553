using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class NoveltyModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "NoveltyModelSets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DatasetId = table.Column<int>(type: "integer", nullable: false),
                    ClusteringId = table.Column<int>(type: "integer", nullable: true),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Parameters = table.Column<string>(type: "jsonb", nullable: false),
                    TargetFalsePositiveRate = table.Column<double>(type: "double precision", nullable: false),
                    Evaluation = table.Column<string>(type: "jsonb", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoveltyModelSets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NoveltyModelSets_Clusterings_ClusteringId",
                        column: x => x.ClusteringId,
                        principalTable: "Clusterings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_NoveltyModelSets_SequenceDatasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "SequenceDatasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NoveltyModels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ModelSetId = table.Column<int>(type: "integer", nullable: false),
                    ClusterId = table.Column<int>(type: "integer", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    JobRunId = table.Column<Guid>(type: "uuid", nullable: true),
                    Hyperparameters = table.Column<string>(type: "jsonb", nullable: false),
                    TrainSequences = table.Column<int>(type: "integer", nullable: false),
                    ValidationSequences = table.Column<int>(type: "integer", nullable: false),
                    ValidationPerplexity = table.Column<double>(type: "double precision", nullable: true),
                    ValidationScores = table.Column<float[]>(type: "real[]", nullable: false),
                    Threshold = table.Column<double>(type: "double precision", nullable: true),
                    Device = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    TrainingSeconds = table.Column<double>(type: "double precision", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoveltyModels", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NoveltyModels_Clusters_ClusterId",
                        column: x => x.ClusterId,
                        principalTable: "Clusters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_NoveltyModels_NoveltyModelSets_ModelSetId",
                        column: x => x.ModelSetId,
                        principalTable: "NoveltyModelSets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScoringRuns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ModelSetId = table.Column<int>(type: "integer", nullable: false),
                    JobRunId = table.Column<Guid>(type: "uuid", nullable: true),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    SequenceCount = table.Column<int>(type: "integer", nullable: false),
                    NovelCount = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoringRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScoringRuns_NoveltyModelSets_ModelSetId",
                        column: x => x.ModelSetId,
                        principalTable: "NoveltyModelSets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NoveltyModelFiles",
                columns: table => new
                {
                    ModelId = table.Column<int>(type: "integer", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoveltyModelFiles", x => x.ModelId);
                    table.ForeignKey(
                        name: "FK_NoveltyModelFiles_NoveltyModels_ModelId",
                        column: x => x.ModelId,
                        principalTable: "NoveltyModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SequenceScores",
                columns: table => new
                {
                    ScoringRunId = table.Column<int>(type: "integer", nullable: false),
                    Ordinal = table.Column<int>(type: "integer", nullable: false),
                    SourceId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Events = table.Column<int[]>(type: "integer[]", nullable: false),
                    ClusterId = table.Column<int>(type: "integer", nullable: true),
                    ModelId = table.Column<int>(type: "integer", nullable: false),
                    AssignmentReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Perplexity = table.Column<double>(type: "double precision", nullable: false),
                    Surprise = table.Column<float[]>(type: "real[]", nullable: false),
                    IsNovel = table.Column<bool>(type: "boolean", nullable: false),
                    TopGMisses = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SequenceScores", x => new { x.ScoringRunId, x.Ordinal });
                    table.ForeignKey(
                        name: "FK_SequenceScores_ScoringRuns_ScoringRunId",
                        column: x => x.ScoringRunId,
                        principalTable: "ScoringRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_NoveltyModels_ClusterId",
                table: "NoveltyModels",
                column: "ClusterId");

            migrationBuilder.CreateIndex(
                name: "IX_NoveltyModels_JobRunId",
                table: "NoveltyModels",
                column: "JobRunId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_NoveltyModels_ModelSetId_ClusterId",
                table: "NoveltyModels",
                columns: new[] { "ModelSetId", "ClusterId" },
                unique: true)
                .Annotation("Npgsql:NullsDistinct", false);

            migrationBuilder.CreateIndex(
                name: "IX_NoveltyModelSets_ClusteringId",
                table: "NoveltyModelSets",
                column: "ClusteringId");

            migrationBuilder.CreateIndex(
                name: "IX_NoveltyModelSets_DatasetId",
                table: "NoveltyModelSets",
                column: "DatasetId");

            migrationBuilder.CreateIndex(
                name: "IX_ScoringRuns_JobRunId",
                table: "ScoringRuns",
                column: "JobRunId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ScoringRuns_ModelSetId",
                table: "ScoringRuns",
                column: "ModelSetId");

            migrationBuilder.CreateIndex(
                name: "IX_SequenceScores_ScoringRunId_Perplexity",
                table: "SequenceScores",
                columns: new[] { "ScoringRunId", "Perplexity" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "NoveltyModelFiles");

            migrationBuilder.DropTable(
                name: "SequenceScores");

            migrationBuilder.DropTable(
                name: "NoveltyModels");

            migrationBuilder.DropTable(
                name: "ScoringRuns");

            migrationBuilder.DropTable(
                name: "NoveltyModelSets");
        }
    }
}

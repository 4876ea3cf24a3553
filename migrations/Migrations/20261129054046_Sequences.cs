using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Sequences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SequenceDatasets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Source = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SequenceDatasets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Clusterings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DatasetId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    BasedOnId = table.Column<int>(type: "integer", nullable: true),
                    JobRunId = table.Column<Guid>(type: "uuid", nullable: true),
                    EnsembleRunId = table.Column<Guid>(type: "uuid", nullable: true),
                    OthersThreshold = table.Column<double>(type: "double precision", nullable: false),
                    Parameters = table.Column<string>(type: "jsonb", nullable: false),
                    Silhouette = table.Column<double>(type: "double precision", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SavedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Clusterings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Clusterings_Clusterings_BasedOnId",
                        column: x => x.BasedOnId,
                        principalTable: "Clusterings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Clusterings_SequenceDatasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "SequenceDatasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EventSequences",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DatasetId = table.Column<int>(type: "integer", nullable: false),
                    Part = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Ordinal = table.Column<int>(type: "integer", nullable: false),
                    SourceId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Events = table.Column<int[]>(type: "integer[]", nullable: false),
                    Timestamps = table.Column<DateTime[]>(type: "timestamp with time zone[]", nullable: true),
                    Length = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EventSequences", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EventSequences_SequenceDatasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "SequenceDatasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SequenceEventTypes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DatasetId = table.Column<int>(type: "integer", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Color = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SequenceEventTypes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SequenceEventTypes_SequenceDatasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "SequenceDatasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TopicModels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DatasetId = table.Column<int>(type: "integer", nullable: false),
                    EnsembleRunId = table.Column<Guid>(type: "uuid", nullable: false),
                    TopicCount = table.Column<int>(type: "integer", nullable: false),
                    Parameters = table.Column<string>(type: "jsonb", nullable: false),
                    Perplexity = table.Column<double>(type: "double precision", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TopicModels", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TopicModels_SequenceDatasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "SequenceDatasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Clusters",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ClusteringId = table.Column<int>(type: "integer", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    IsOthers = table.Column<bool>(type: "boolean", nullable: false),
                    TopicIds = table.Column<int[]>(type: "integer[]", nullable: false),
                    Center = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Clusters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Clusters_Clusterings_ClusteringId",
                        column: x => x.ClusteringId,
                        principalTable: "Clusterings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SequenceLabels",
                columns: table => new
                {
                    SequenceId = table.Column<long>(type: "bigint", nullable: false),
                    Label = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SequenceLabels", x => x.SequenceId);
                    table.ForeignKey(
                        name: "FK_SequenceLabels_EventSequences_SequenceId",
                        column: x => x.SequenceId,
                        principalTable: "EventSequences",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SequenceTopicMixtures",
                columns: table => new
                {
                    TopicModelId = table.Column<int>(type: "integer", nullable: false),
                    SequenceId = table.Column<long>(type: "bigint", nullable: false),
                    Weights = table.Column<float[]>(type: "real[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SequenceTopicMixtures", x => new { x.TopicModelId, x.SequenceId });
                    table.ForeignKey(
                        name: "FK_SequenceTopicMixtures_EventSequences_SequenceId",
                        column: x => x.SequenceId,
                        principalTable: "EventSequences",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SequenceTopicMixtures_TopicModels_TopicModelId",
                        column: x => x.TopicModelId,
                        principalTable: "TopicModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Topics",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TopicModelId = table.Column<int>(type: "integer", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    EventWeights = table.Column<float[]>(type: "real[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Topics", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Topics_TopicModels_TopicModelId",
                        column: x => x.TopicModelId,
                        principalTable: "TopicModels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SequenceAssignments",
                columns: table => new
                {
                    ClusteringId = table.Column<int>(type: "integer", nullable: false),
                    SequenceId = table.Column<long>(type: "bigint", nullable: false),
                    ClusterId = table.Column<int>(type: "integer", nullable: false),
                    Score = table.Column<float>(type: "real", nullable: true),
                    IsManual = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SequenceAssignments", x => new { x.ClusteringId, x.SequenceId });
                    table.ForeignKey(
                        name: "FK_SequenceAssignments_Clusterings_ClusteringId",
                        column: x => x.ClusteringId,
                        principalTable: "Clusterings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SequenceAssignments_Clusters_ClusterId",
                        column: x => x.ClusterId,
                        principalTable: "Clusters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SequenceAssignments_EventSequences_SequenceId",
                        column: x => x.SequenceId,
                        principalTable: "EventSequences",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Clusterings_BasedOnId",
                table: "Clusterings",
                column: "BasedOnId");

            migrationBuilder.CreateIndex(
                name: "IX_Clusterings_DatasetId_Kind_Version",
                table: "Clusterings",
                columns: new[] { "DatasetId", "Kind", "Version" });

            migrationBuilder.CreateIndex(
                name: "IX_Clusterings_JobRunId",
                table: "Clusterings",
                column: "JobRunId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Clusters_ClusteringId_Index",
                table: "Clusters",
                columns: new[] { "ClusteringId", "Index" });

            migrationBuilder.CreateIndex(
                name: "IX_EventSequences_DatasetId_Part_Ordinal",
                table: "EventSequences",
                columns: new[] { "DatasetId", "Part", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EventSequences_DatasetId_Part_SourceId",
                table: "EventSequences",
                columns: new[] { "DatasetId", "Part", "SourceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SequenceAssignments_ClusterId_SequenceId",
                table: "SequenceAssignments",
                columns: new[] { "ClusterId", "SequenceId" });

            migrationBuilder.CreateIndex(
                name: "IX_SequenceAssignments_SequenceId",
                table: "SequenceAssignments",
                column: "SequenceId");

            migrationBuilder.CreateIndex(
                name: "IX_SequenceDatasets_Name",
                table: "SequenceDatasets",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SequenceEventTypes_DatasetId_Index",
                table: "SequenceEventTypes",
                columns: new[] { "DatasetId", "Index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SequenceEventTypes_DatasetId_Key",
                table: "SequenceEventTypes",
                columns: new[] { "DatasetId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SequenceTopicMixtures_SequenceId",
                table: "SequenceTopicMixtures",
                column: "SequenceId");

            migrationBuilder.CreateIndex(
                name: "IX_TopicModels_DatasetId_EnsembleRunId_TopicCount",
                table: "TopicModels",
                columns: new[] { "DatasetId", "EnsembleRunId", "TopicCount" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Topics_TopicModelId_Index",
                table: "Topics",
                columns: new[] { "TopicModelId", "Index" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SequenceAssignments");

            migrationBuilder.DropTable(
                name: "SequenceEventTypes");

            migrationBuilder.DropTable(
                name: "SequenceLabels");

            migrationBuilder.DropTable(
                name: "SequenceTopicMixtures");

            migrationBuilder.DropTable(
                name: "Topics");

            migrationBuilder.DropTable(
                name: "Clusters");

            migrationBuilder.DropTable(
                name: "EventSequences");

            migrationBuilder.DropTable(
                name: "TopicModels");

            migrationBuilder.DropTable(
                name: "Clusterings");

            migrationBuilder.DropTable(
                name: "SequenceDatasets");
        }
    }
}

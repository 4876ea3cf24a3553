using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RelationExtraction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UploadedFiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UploadedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UploadedFiles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UploadChunks",
                columns: table => new
                {
                    FileId = table.Column<Guid>(type: "uuid", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    Data = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UploadChunks", x => new { x.FileId, x.Index });
                    table.ForeignKey(
                        name: "FK_UploadChunks_UploadedFiles_FileId",
                        column: x => x.FileId,
                        principalTable: "UploadedFiles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Bags",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    HeadEntityId = table.Column<long>(type: "bigint", nullable: false),
                    TailEntityId = table.Column<long>(type: "bigint", nullable: false),
                    Split = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    CandidateCount = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bags", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Candidates",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    SentenceId = table.Column<long>(type: "bigint", nullable: false),
                    HeadMentionId = table.Column<long>(type: "bigint", nullable: false),
                    TailMentionId = table.Column<long>(type: "bigint", nullable: false),
                    BagId = table.Column<long>(type: "bigint", nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Candidates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Candidates_Bags_BagId",
                        column: x => x.BagId,
                        principalTable: "Bags",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DistantLabels",
                columns: table => new
                {
                    BagId = table.Column<long>(type: "bigint", nullable: false),
                    RelationTypeId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DistantLabels", x => new { x.BagId, x.RelationTypeId });
                    table.ForeignKey(
                        name: "FK_DistantLabels_Bags_BagId",
                        column: x => x.BagId,
                        principalTable: "Bags",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Documents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    ExternalId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Title = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    ImportRunId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Documents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Sentences",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    DocumentId = table.Column<long>(type: "bigint", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    Tokens = table.Column<string[]>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sentences", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Sentences_Documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "Documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EntityAliases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EntityId = table.Column<long>(type: "bigint", nullable: false),
                    Alias = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntityAliases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EntityMentions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SentenceId = table.Column<long>(type: "bigint", nullable: false),
                    EntityId = table.Column<long>(type: "bigint", nullable: false),
                    Start = table.Column<int>(type: "integer", nullable: false),
                    End = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntityMentions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EntityMentions_Sentences_SentenceId",
                        column: x => x.SentenceId,
                        principalTable: "Sentences",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GoldLabels",
                columns: table => new
                {
                    CandidateId = table.Column<long>(type: "bigint", nullable: false),
                    RelationTypeId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GoldLabels", x => x.CandidateId);
                    table.ForeignKey(
                        name: "FK_GoldLabels_Candidates_CandidateId",
                        column: x => x.CandidateId,
                        principalTable: "Candidates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "KbEntities",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    KbId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KbEntities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KbFacts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    HeadEntityId = table.Column<long>(type: "bigint", nullable: false),
                    RelationTypeId = table.Column<int>(type: "integer", nullable: false),
                    TailEntityId = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KbFacts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KbFacts_KbEntities_HeadEntityId",
                        column: x => x.HeadEntityId,
                        principalTable: "KbEntities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_KbFacts_KbEntities_TailEntityId",
                        column: x => x.TailEntityId,
                        principalTable: "KbEntities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ModelFiles",
                columns: table => new
                {
                    ModelVersionId = table.Column<int>(type: "integer", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelFiles", x => x.ModelVersionId);
                });

            migrationBuilder.CreateTable(
                name: "ModelVersions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    JobRunId = table.Column<Guid>(type: "uuid", nullable: true),
                    Architecture = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hyperparameters = table.Column<string>(type: "jsonb", nullable: false),
                    DataSnapshot = table.Column<string>(type: "jsonb", nullable: false),
                    Metrics = table.Column<string>(type: "jsonb", nullable: false),
                    HeldOutAuc = table.Column<double>(type: "double precision", nullable: true),
                    GoldF1 = table.Column<double>(type: "double precision", nullable: true),
                    Device = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    TrainingSeconds = table.Column<double>(type: "double precision", nullable: false),
                    ModelSizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModelVersions_JobRuns_JobRunId",
                        column: x => x.JobRunId,
                        principalTable: "JobRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "RelationProjects",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    NaSamplingRatio = table.Column<double>(type: "double precision", nullable: false),
                    ActiveModelVersionId = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RelationProjects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RelationProjects_ModelVersions_ActiveModelVersionId",
                        column: x => x.ActiveModelVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "RelationTypes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ProjectId = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    IsNa = table.Column<bool>(type: "boolean", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RelationTypes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RelationTypes_RelationProjects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "RelationProjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Predictions",
                columns: table => new
                {
                    ModelVersionId = table.Column<int>(type: "integer", nullable: false),
                    CandidateId = table.Column<long>(type: "bigint", nullable: false),
                    Probabilities = table.Column<float[]>(type: "real[]", nullable: false),
                    TopRelationTypeId = table.Column<int>(type: "integer", nullable: false),
                    Confidence = table.Column<float>(type: "real", nullable: false),
                    Margin = table.Column<float>(type: "real", nullable: false),
                    Entropy = table.Column<float>(type: "real", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Predictions", x => new { x.ModelVersionId, x.CandidateId });
                    table.ForeignKey(
                        name: "FK_Predictions_Candidates_CandidateId",
                        column: x => x.CandidateId,
                        principalTable: "Candidates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Predictions_ModelVersions_ModelVersionId",
                        column: x => x.ModelVersionId,
                        principalTable: "ModelVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Predictions_RelationTypes_TopRelationTypeId",
                        column: x => x.TopRelationTypeId,
                        principalTable: "RelationTypes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Bags_HeadEntityId",
                table: "Bags",
                column: "HeadEntityId");

            migrationBuilder.CreateIndex(
                name: "IX_Bags_ProjectId_HeadEntityId_TailEntityId",
                table: "Bags",
                columns: new[] { "ProjectId", "HeadEntityId", "TailEntityId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Bags_ProjectId_Split",
                table: "Bags",
                columns: new[] { "ProjectId", "Split" });

            migrationBuilder.CreateIndex(
                name: "IX_Bags_TailEntityId",
                table: "Bags",
                column: "TailEntityId");

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_BagId",
                table: "Candidates",
                column: "BagId");

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_HeadMentionId",
                table: "Candidates",
                column: "HeadMentionId");

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_ProjectId_Id",
                table: "Candidates",
                columns: new[] { "ProjectId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_SentenceId",
                table: "Candidates",
                column: "SentenceId");

            migrationBuilder.CreateIndex(
                name: "IX_Candidates_TailMentionId",
                table: "Candidates",
                column: "TailMentionId");

            migrationBuilder.CreateIndex(
                name: "IX_DistantLabels_RelationTypeId_BagId",
                table: "DistantLabels",
                columns: new[] { "RelationTypeId", "BagId" });

            migrationBuilder.CreateIndex(
                name: "IX_Documents_ProjectId_ExternalId",
                table: "Documents",
                columns: new[] { "ProjectId", "ExternalId" });

            migrationBuilder.CreateIndex(
                name: "IX_EntityAliases_EntityId_Alias",
                table: "EntityAliases",
                columns: new[] { "EntityId", "Alias" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EntityMentions_EntityId",
                table: "EntityMentions",
                column: "EntityId");

            migrationBuilder.CreateIndex(
                name: "IX_EntityMentions_SentenceId",
                table: "EntityMentions",
                column: "SentenceId");

            migrationBuilder.CreateIndex(
                name: "IX_GoldLabels_RelationTypeId",
                table: "GoldLabels",
                column: "RelationTypeId");

            migrationBuilder.CreateIndex(
                name: "IX_KbEntities_ProjectId_KbId",
                table: "KbEntities",
                columns: new[] { "ProjectId", "KbId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KbFacts_HeadEntityId",
                table: "KbFacts",
                column: "HeadEntityId");

            migrationBuilder.CreateIndex(
                name: "IX_KbFacts_ProjectId_HeadEntityId_TailEntityId_RelationTypeId",
                table: "KbFacts",
                columns: new[] { "ProjectId", "HeadEntityId", "TailEntityId", "RelationTypeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KbFacts_RelationTypeId",
                table: "KbFacts",
                column: "RelationTypeId");

            migrationBuilder.CreateIndex(
                name: "IX_KbFacts_TailEntityId",
                table: "KbFacts",
                column: "TailEntityId");

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_JobRunId",
                table: "ModelVersions",
                column: "JobRunId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ModelVersions_ProjectId_Number",
                table: "ModelVersions",
                columns: new[] { "ProjectId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Predictions_CandidateId",
                table: "Predictions",
                column: "CandidateId");

            migrationBuilder.CreateIndex(
                name: "IX_Predictions_ModelVersionId_Confidence",
                table: "Predictions",
                columns: new[] { "ModelVersionId", "Confidence" });

            migrationBuilder.CreateIndex(
                name: "IX_Predictions_ModelVersionId_Entropy",
                table: "Predictions",
                columns: new[] { "ModelVersionId", "Entropy" });

            migrationBuilder.CreateIndex(
                name: "IX_Predictions_ModelVersionId_Margin",
                table: "Predictions",
                columns: new[] { "ModelVersionId", "Margin" });

            migrationBuilder.CreateIndex(
                name: "IX_Predictions_ModelVersionId_TopRelationTypeId_Confidence",
                table: "Predictions",
                columns: new[] { "ModelVersionId", "TopRelationTypeId", "Confidence" });

            migrationBuilder.CreateIndex(
                name: "IX_Predictions_TopRelationTypeId",
                table: "Predictions",
                column: "TopRelationTypeId");

            migrationBuilder.CreateIndex(
                name: "IX_RelationProjects_ActiveModelVersionId",
                table: "RelationProjects",
                column: "ActiveModelVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_RelationProjects_Name",
                table: "RelationProjects",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RelationTypes_ProjectId_Index",
                table: "RelationTypes",
                columns: new[] { "ProjectId", "Index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RelationTypes_ProjectId_Key",
                table: "RelationTypes",
                columns: new[] { "ProjectId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Sentences_DocumentId_Index",
                table: "Sentences",
                columns: new[] { "DocumentId", "Index" });

            migrationBuilder.CreateIndex(
                name: "IX_Sentences_ProjectId",
                table: "Sentences",
                column: "ProjectId");

            migrationBuilder.AddForeignKey(
                name: "FK_Bags_KbEntities_HeadEntityId",
                table: "Bags",
                column: "HeadEntityId",
                principalTable: "KbEntities",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Bags_KbEntities_TailEntityId",
                table: "Bags",
                column: "TailEntityId",
                principalTable: "KbEntities",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Bags_RelationProjects_ProjectId",
                table: "Bags",
                column: "ProjectId",
                principalTable: "RelationProjects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Candidates_EntityMentions_HeadMentionId",
                table: "Candidates",
                column: "HeadMentionId",
                principalTable: "EntityMentions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Candidates_EntityMentions_TailMentionId",
                table: "Candidates",
                column: "TailMentionId",
                principalTable: "EntityMentions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_Candidates_RelationProjects_ProjectId",
                table: "Candidates",
                column: "ProjectId",
                principalTable: "RelationProjects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Candidates_Sentences_SentenceId",
                table: "Candidates",
                column: "SentenceId",
                principalTable: "Sentences",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_DistantLabels_RelationTypes_RelationTypeId",
                table: "DistantLabels",
                column: "RelationTypeId",
                principalTable: "RelationTypes",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Documents_RelationProjects_ProjectId",
                table: "Documents",
                column: "ProjectId",
                principalTable: "RelationProjects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_EntityAliases_KbEntities_EntityId",
                table: "EntityAliases",
                column: "EntityId",
                principalTable: "KbEntities",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_EntityMentions_KbEntities_EntityId",
                table: "EntityMentions",
                column: "EntityId",
                principalTable: "KbEntities",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_GoldLabels_RelationTypes_RelationTypeId",
                table: "GoldLabels",
                column: "RelationTypeId",
                principalTable: "RelationTypes",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_KbEntities_RelationProjects_ProjectId",
                table: "KbEntities",
                column: "ProjectId",
                principalTable: "RelationProjects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_KbFacts_RelationProjects_ProjectId",
                table: "KbFacts",
                column: "ProjectId",
                principalTable: "RelationProjects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_KbFacts_RelationTypes_RelationTypeId",
                table: "KbFacts",
                column: "RelationTypeId",
                principalTable: "RelationTypes",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_ModelFiles_ModelVersions_ModelVersionId",
                table: "ModelFiles",
                column: "ModelVersionId",
                principalTable: "ModelVersions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_ModelVersions_RelationProjects_ProjectId",
                table: "ModelVersions",
                column: "ProjectId",
                principalTable: "RelationProjects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ModelVersions_RelationProjects_ProjectId",
                table: "ModelVersions");

            migrationBuilder.DropTable(
                name: "DistantLabels");

            migrationBuilder.DropTable(
                name: "EntityAliases");

            migrationBuilder.DropTable(
                name: "GoldLabels");

            migrationBuilder.DropTable(
                name: "KbFacts");

            migrationBuilder.DropTable(
                name: "ModelFiles");

            migrationBuilder.DropTable(
                name: "Predictions");

            migrationBuilder.DropTable(
                name: "UploadChunks");

            migrationBuilder.DropTable(
                name: "Candidates");

            migrationBuilder.DropTable(
                name: "RelationTypes");

            migrationBuilder.DropTable(
                name: "UploadedFiles");

            migrationBuilder.DropTable(
                name: "Bags");

            migrationBuilder.DropTable(
                name: "EntityMentions");

            migrationBuilder.DropTable(
                name: "KbEntities");

            migrationBuilder.DropTable(
                name: "Sentences");

            migrationBuilder.DropTable(
                name: "Documents");

            migrationBuilder.DropTable(
                name: "RelationProjects");

            migrationBuilder.DropTable(
                name: "ModelVersions");
        }
    }
}

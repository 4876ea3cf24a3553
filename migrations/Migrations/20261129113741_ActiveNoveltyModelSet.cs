using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WebApp.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ActiveNoveltyModelSet : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ActiveNoveltyModelSetId",
                table: "SequenceDatasets",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_SequenceDatasets_ActiveNoveltyModelSetId",
                table: "SequenceDatasets",
                column: "ActiveNoveltyModelSetId");

            migrationBuilder.AddForeignKey(
                name: "FK_SequenceDatasets_NoveltyModelSets_ActiveNoveltyModelSetId",
                table: "SequenceDatasets",
                column: "ActiveNoveltyModelSetId",
                principalTable: "NoveltyModelSets",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_SequenceDatasets_NoveltyModelSets_ActiveNoveltyModelSetId",
                table: "SequenceDatasets");

            migrationBuilder.DropIndex(
                name: "IX_SequenceDatasets_ActiveNoveltyModelSetId",
                table: "SequenceDatasets");

            migrationBuilder.DropColumn(
                name: "ActiveNoveltyModelSetId",
                table: "SequenceDatasets");
        }
    }
}

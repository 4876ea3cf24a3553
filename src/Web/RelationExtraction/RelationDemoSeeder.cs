using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Uploads;

namespace WebApp.Web.RelationExtraction;

/// <summary>
/// The local run's demo project: uploads the shipped FewRel distant-supervision files as a user would and
/// queues their imports one after another, then a first training run, so a visitor sees it fill up live.
/// </summary>
public sealed class RelationDemoSeeder(
    IDbContextFactory<AppDbContext> dbFactory, UploadStore uploads, RelationJobLauncher launcher, AuditTrail audit,
    ILogger<RelationDemoSeeder> logger)
{
    public const string ProjectName = "FewRel demo";

    public async Task SeedAsync(string demoDirectory, CancellationToken ct = default)
    {
        var directory = Path.Combine(demoDirectory, "relation-extraction");
        if (!File.Exists(Path.Combine(directory, "sentences.jsonl")))
        {
            logger.LogWarning("No relation-extraction demo data in {Directory}; skipped.", directory);
            return;
        }

        var seeder = AuditActor.System("seed");
        int projectId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.RelationProjects.AnyAsync(p => p.Name == ProjectName, ct)) return;
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var project = await RelationProjects.CreateAsync(db, ProjectName,
                "Distant supervision from a deliberately incomplete and partly wrong knowledge base over FewRel 1.0 " +
                "sentences (Wikipedia, CC BY-SA); every sentence keeps its gold label apart. See demo/relation-extraction/SOURCE.md.",
                seeder.Name, ct);
            await audit.RecordAsync(db, seeder, "relations.project-created", nameof(RelationProject), project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                null, new { project.Name }, ct);
            await transaction.CommitAsync(ct);
            projectId = project.Id;
        }

        string? previous = null;
        foreach (var (format, file, aliases) in new (RelationImportFormat, string, string?)[]
        {
            (RelationImportFormat.Relations, "relations.tsv", null),
            (RelationImportFormat.KnowledgeBase, "kb.tsv", "aliases.tsv"),
            (RelationImportFormat.OpenNre, "sentences.jsonl", null),
        })
        {
            var upload = await UploadAsync(Path.Combine(directory, file), seeder.Name, ct);
            var aliasesUpload = aliases is null ? null : await UploadAsync(Path.Combine(directory, aliases), seeder.Name, ct);
            var result = await launcher.ImportAsync(new RelationImportParameters(projectId, format, upload.Id, upload.FileName,
                aliasesUpload?.Id, aliasesUpload?.FileName), seeder, previous, ct);
            if (result.Errors.Count > 0) throw new InvalidOperationException(string.Join(" ", result.Errors));
            previous = result.HangfireJobId;
        }
        var training = await launcher.TrainAsync(new RelationTrainingParameters(projectId), Domain.Training.JobQueues.Default,
            seeder, previous, ct);
        if (training.Errors.Count > 0) throw new InvalidOperationException(string.Join(" ", training.Errors));
        logger.LogInformation("Queued the import of the relation-extraction demo project and its first training run.");
    }

    private async Task<UploadedFile> UploadAsync(string path, string uploadedBy, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return await uploads.SaveAsync(stream, Path.GetFileName(path), "text/plain", uploadedBy, long.MaxValue, ct);
    }
}

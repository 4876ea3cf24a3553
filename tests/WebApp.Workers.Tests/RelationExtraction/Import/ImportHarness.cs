using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;
using WebApp.Testing;
using WebApp.Workers.RelationExtraction.Import;

namespace WebApp.Workers.Tests.RelationExtraction.Import;

/// <summary>A fresh database with one project (and its NA relation); uploads files and runs the import job.</summary>
public abstract class ImportHarness : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;
    protected int ProjectId { get; private set; }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await using var db = Database.CreateContext();
        ProjectId = (await RelationProjects.CreateAsync(db, "Test project", "for import tests", "tester", CancellationToken.None)).Id;
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();

    protected AppDbContext Db() => Database.CreateContext();

    protected RelationImportJob CreateJob()
    {
        var factory = Database.CreateFactory();
        return new RelationImportJob(factory, new UploadStore(factory, TimeProvider.System),
            new JobRunReporter(factory, TimeProvider.System), new AuditTrail(TimeProvider.System),
            NullLogger<RelationImportJob>.Instance);
    }

    protected async Task<(Guid Id, string Name)> UploadAsync(string fileName, string content)
    {
        var store = new UploadStore(Database.CreateFactory(), TimeProvider.System);
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        var file = await store.SaveAsync(stream, fileName, "text/plain", "tester", 1L << 30, CancellationToken.None);
        return (file.Id, file.FileName);
    }

    protected async Task<(Guid Id, string Name)> UploadFileAsync(string path)
    {
        var store = new UploadStore(Database.CreateFactory(), TimeProvider.System);
        await using var stream = File.OpenRead(path);
        var file = await store.SaveAsync(stream, Path.GetFileName(path), "application/json", "tester", 1L << 30, CancellationToken.None);
        return (file.Id, file.FileName);
    }

    protected async Task<Guid> QueueAsync(RelationImportFormat format, (Guid Id, string Name) file, (Guid Id, string Name)? aliases = null,
        int? projectId = null)
    {
        await using var db = Db();
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.RelationImport,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(new RelationImportParameters(projectId ?? ProjectId, format, file.Id, file.Name,
                aliases?.Id, aliases?.Name), JobJson.Options),
            RequestedByName = "tester",
            CreatedAt = DateTime.UtcNow,
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    /// <summary>Uploads, queues and runs an import; returns the finished run.</summary>
    protected async Task<JobRun> ImportAsync(RelationImportFormat format, string fileName, string content,
        string? aliasesName = null, string? aliasesContent = null)
    {
        var file = await UploadAsync(fileName, content);
        (Guid, string)? aliases = aliasesName is null ? null : await UploadAsync(aliasesName, aliasesContent!);
        var id = await QueueAsync(format, file, aliases);
        await CreateJob().RunAsync(id, CancellationToken.None);
        return await RunAsync(id);
    }

    protected async Task<JobRun> RunAsync(Guid id)
    {
        await using var db = Db();
        return await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    /// <summary>One count from the run's metrics (jsonb: PostgreSQL normalises the text).</summary>
    protected static long Metric(JobRun run, string name)
    {
        using var metrics = JsonDocument.Parse(run.Metrics ?? "{}");
        return metrics.RootElement.GetProperty(name).GetInt64();
    }

    protected static void AssertSucceeded(JobRun run) =>
        Assert.True(run.Status == JobRunStatus.Succeeded, $"{run.Status}: {run.Error}");

    /// <summary>Row counts of every table an import writes (and the audit trail).</summary>
    protected async Task<string> CountsAsync()
    {
        string[] tables = ["RelationTypes", "KbEntities", "EntityAliases", "KbFacts", "Documents", "Sentences", "EntityMentions",
            "Bags", "DistantLabels", "Candidates", "GoldLabels", "AuditRecords"];
        var parts = new List<string>();
        foreach (var table in tables) parts.Add($"{table}={await Database.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\"")}");
        return string.Join(", ", parts);
    }

    /// <summary>The DS labels as "HEAD>TAIL:KEY" strings, sorted.</summary>
    protected async Task<List<string>> DistantLabelsAsync()
    {
        await using var db = Db();
        var rows = await (from l in db.DistantLabels
                          join b in db.Bags on l.BagId equals b.Id
                          join h in db.KbEntities on b.HeadEntityId equals h.Id
                          join t in db.KbEntities on b.TailEntityId equals t.Id
                          join r in db.RelationTypes on l.RelationTypeId equals r.Id
                          where b.ProjectId == ProjectId
                          select h.KbId + ">" + t.KbId + ":" + r.Key).ToListAsync();
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}

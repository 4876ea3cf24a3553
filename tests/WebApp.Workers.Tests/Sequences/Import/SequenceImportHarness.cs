using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;
using WebApp.Domain.Uploads;
using WebApp.Testing;
using WebApp.Workers.Sequences.Import;

namespace WebApp.Workers.Tests.Sequences.Import;

/// <summary>A fresh database; uploads files and runs the sequence import job on them as a worker would.</summary>
public abstract class SequenceImportHarness : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await Database.DisposeAsync();

    protected AppDbContext Db() => Database.CreateContext();

    protected SequenceImportJob CreateJob()
    {
        var factory = Database.CreateFactory();
        return new SequenceImportJob(factory, new UploadStore(factory, TimeProvider.System),
            new JobRunReporter(factory, TimeProvider.System), new AuditTrail(TimeProvider.System), TimeProvider.System,
            NullLogger<SequenceImportJob>.Instance);
    }

    protected Task<(Guid Id, string Name)> UploadAsync(string fileName, string content) =>
        UploadAsync(fileName, Encoding.UTF8.GetBytes(content));

    protected async Task<(Guid Id, string Name)> UploadAsync(string fileName, byte[] content)
    {
        var store = new UploadStore(Database.CreateFactory(), TimeProvider.System);
        await using var stream = new MemoryStream(content);
        var file = await store.SaveAsync(stream, fileName, "text/plain", "tester", 1L << 30, CancellationToken.None);
        return (file.Id, file.FileName);
    }

    protected async Task<Guid> QueueAsync(SequenceImportParameters parameters)
    {
        await using var db = Db();
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.SequenceImport,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(parameters, JobJson.Options),
            RequestedByName = "tester",
            CreatedAt = DateTime.UtcNow,
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    /// <summary>Uploads <paramref name="content"/>, queues and runs its import; returns the finished run.</summary>
    protected async Task<JobRun> ImportAsync(SequenceImportFormat format, string fileName, string content, string? newDataset = "Test",
        int? datasetId = null, string part = SequenceParts.Train, KnownLabel? labelAll = null)
    {
        var file = await UploadAsync(fileName, content);
        var id = await QueueAsync(new SequenceImportParameters(format, file.Id, file.Name, datasetId, datasetId is null ? newDataset : null,
            part, labelAll));
        await CreateJob().RunAsync(id, CancellationToken.None);
        return await RunAsync(id);
    }

    protected async Task<JobRun> RunAsync(Guid id)
    {
        await using var db = Db();
        return await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    protected static void AssertSucceeded(JobRun run) =>
        Assert.True(run.Status == JobRunStatus.Succeeded, $"{run.Status}: {run.Error}");

    protected static void AssertFailed(JobRun run, string error)
    {
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal(error, run.Error);
    }

    protected static long Metric(JobRun run, string name)
    {
        using var metrics = JsonDocument.Parse(run.Metrics ?? "{}");
        return metrics.RootElement.GetProperty(name).GetInt64();
    }

    protected async Task<int> DatasetIdAsync(string name)
    {
        await using var db = Db();
        return await db.SequenceDatasets.Where(d => d.Name == name).Select(d => d.Id).SingleAsync();
    }

    /// <summary>Row counts of every table an import writes, and the import audit records.</summary>
    protected async Task<string> CountsAsync()
    {
        string[] tables = ["SequenceDatasets", "SequenceEventTypes", "EventSequences", "SequenceLabels"];
        var parts = new List<string>();
        foreach (var table in tables) parts.Add($"{table}={await Database.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\"")}");
        parts.Add($"imports audited={await Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"AuditRecords\" WHERE \"Action\" = '{SequenceImportJob.AuditAction}'")}");
        return string.Join(", ", parts);
    }

    /// <summary>The dataset's sequences in ordinal order, each with its event keys joined by '|'.</summary>
    protected async Task<List<(string Part, int Ordinal, string SourceId, string Keys, DateTime[]? Timestamps)>> SequencesAsync(int datasetId)
    {
        await using var db = Db();
        var keys = await db.SequenceEventTypes.Where(e => e.DatasetId == datasetId).ToDictionaryAsync(e => e.Index, e => e.Key);
        var sequences = await db.EventSequences.Where(s => s.DatasetId == datasetId).OrderBy(s => s.Ordinal).ToListAsync();
        foreach (var sequence in sequences) Assert.Equal(sequence.Events.Length, sequence.Length);
        return sequences.Select(s => (s.Part, s.Ordinal, s.SourceId, string.Join('|', s.Events.Select(e => keys[e])), s.Timestamps)).ToList();
    }

    /// <summary>Known labels as "source id:Label", sorted.</summary>
    protected async Task<List<string>> LabelsAsync(int datasetId)
    {
        await using var db = Db();
        var rows = await (from l in db.SequenceLabels
                          join s in db.EventSequences on l.SequenceId equals s.Id
                          where s.DatasetId == datasetId
                          select new { s.SourceId, l.Label }).ToListAsync();
        return rows.Select(r => $"{r.SourceId}:{r.Label}").Order(StringComparer.Ordinal).ToList();
    }
}

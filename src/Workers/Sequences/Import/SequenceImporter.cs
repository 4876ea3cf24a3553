using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Sequences;
using WebApp.Workers.Import;

namespace WebApp.Workers.Sequences.Import;

/// <summary>The dataset an import went into, and what it wrote.</summary>
public sealed record SequenceImportResult(int DatasetId, string DatasetName, bool CreatedDataset, SequenceImportCounts Counts);

/// <summary>
/// One import, shared by the job and the command line: inside the caller's transaction (the caller commits, with
/// its audit record), creates the dataset when asked, locks it against concurrent imports, and streams the file
/// through the format's parser.
/// </summary>
public static class SequenceImporter
{
    public static async Task<SequenceImportResult> ImportAsync(AppDbContext db, SequenceImportParameters parameters, Stream content,
        string requestedBy, DateTime now, Func<SequenceImportCounts, CancellationToken, ValueTask> progress, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("An import runs inside the caller's transaction.");
        var fileName = parameters.FileName;
        var errors = parameters.Validate().ToList();
        if (errors.Count > 0) throw new ImportException(fileName, null, string.Join(" ", errors));
        if (parameters.Format == SequenceImportFormat.Labels && parameters.LabelAll is not null)
        {
            throw new ImportException(fileName, null, "label-all applies to sequences, not to a labels file");
        }

        var clock = Stopwatch.StartNew();
        var (dataset, created) = await DatasetAsync(db, parameters, requestedBy, now, ct);
        using var lines = new LineReader(content, fileName);
        SequenceImportCounts counts;
        if (parameters.Format == SequenceImportFormat.Labels)
        {
            counts = new SequenceImportCounts();
            await LabelsFormat.ImportAsync(db, dataset.Id, parameters.Part, fileName, lines, counts, token => progress(counts, token), ct);
            counts.VocabularySize = await db.SequenceEventTypes.CountAsync(e => e.DatasetId == dataset.Id, ct);
        }
        else
        {
            await using var writer = await SequenceWriter.OpenAsync(db, dataset.Id, parameters.Part, fileName, parameters.LabelAll, ct);
            Func<CancellationToken, ValueTask> report = token => progress(writer.Counts, token);
            await (parameters.Format switch
            {
                SequenceImportFormat.Lines => LinesFormat.ImportAsync(writer, lines, report, ct),
                SequenceImportFormat.Csv => CsvFormat.ImportAsync(writer, lines, report, ct),
                SequenceImportFormat.Jsonl => JsonlFormat.ImportAsync(writer, lines, report, ct),
                _ => throw new ImportException(fileName, null, $"unknown import format {parameters.Format}"),
            });
            if (writer.Counts.Sequences == 0) throw new ImportException(fileName, null, "the file holds no sequences");
            counts = await writer.CompleteAsync(ct);
        }
        counts.Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
        return new SequenceImportResult(dataset.Id, dataset.Name, created, counts);
    }

    private static async Task<(SequenceDataset Dataset, bool Created)> DatasetAsync(AppDbContext db, SequenceImportParameters parameters,
        string requestedBy, DateTime now, CancellationToken ct)
    {
        if (parameters.DatasetId is { } id)
        {
            // Serialises imports into one dataset: ordinals and the vocabulary's indexes continue without gaps or clashes.
            var existing = await db.SequenceDatasets.FromSql($"""SELECT * FROM "SequenceDatasets" WHERE "Id" = {id} FOR UPDATE""")
                .AsNoTracking().SingleOrDefaultAsync(ct)
                ?? throw new ImportException(parameters.FileName, null, $"dataset {id} does not exist (any more)");
            return (existing, false);
        }
        var name = parameters.NewDatasetName!.Trim();
        if (await db.SequenceDatasets.FromSql($"""SELECT * FROM "SequenceDatasets" WHERE lower("Name") = lower({name})""").AnyAsync(ct))
        {
            throw new ImportException(parameters.FileName, null, $"a dataset named '{name}' already exists; import into it or choose another name");
        }
        var dataset = new SequenceDataset
        {
            Name = name,
            Description = parameters.Description?.Trim() ?? "",
            Source = parameters.Source?.Trim() ?? "",
            CreatedAt = now,
            CreatedByName = requestedBy,
        };
        db.SequenceDatasets.Add(dataset);
        await db.SaveChangesAsync(ct);
        db.Entry(dataset).State = EntityState.Detached;
        return (dataset, true);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.Database;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;
using WebApp.Workers.Import;
using WebApp.Workers.Sequences.Import;

namespace WebApp.Workers.Sequences;

/// <summary>
/// <c>seq import --dataset NAME --format lines|csv|jsonl|labels --file F [--part train|test] [--label-all normal|novel]
/// [--description TEXT] [--source TEXT]</c>: imports a local file with the import job's code path (one transaction with
/// its audit record; into the dataset of that name, created when there is none) and prints the counts, the wall time
/// and events per second as JSON.
/// </summary>
public static class SequenceCommandLine
{
    public const string Usage =
        "Usage: seq import --dataset NAME --format lines|csv|jsonl|labels --file F [--part train|test] [--label-all normal|novel] " +
        "[--description TEXT] [--source TEXT]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly string[] Known = ["dataset", "format", "file", "part", "label-all", "description", "source"];

    public static async Task<int> RunAsync(string[] args, string connectionString, TextWriter output, TextWriter error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] != "import")
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        Dictionary<string, string> values;
        SequenceImportFormat format;
        KnownLabel? labelAll = null;
        try
        {
            values = CommandLineOptions.Parse(args[1..], Known);
            if (!values.ContainsKey("dataset") || !values.ContainsKey("format") || !values.ContainsKey("file"))
            {
                throw new FormatException("--dataset, --format and --file are required.");
            }
            format = Enum.TryParse<SequenceImportFormat>(values["format"], ignoreCase: true, out var parsed)
                ? parsed
                : throw new FormatException($"Unknown format '{values["format"]}'.");
            if (values.TryGetValue("label-all", out var label))
            {
                labelAll = LabelsFormat.TryParseLabel(label, out var known) ? known : throw new FormatException($"Unknown label '{label}'.");
            }
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync(e.Message);
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var path = values["file"];
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"{path}: no such file");
            return 2;
        }

        var options = new DbContextOptionsBuilder<AppDbContext>();
        options.ConfigureAppDatabase(connectionString);
        await using var db = new AppDbContext(options.Options);
        if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            await error.WriteLineAsync("The database schema is not current: start the web once (it migrates) or run `dotnet ef database update`.");
            return 1;
        }
        var clock = Stopwatch.StartNew();
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var name = values["dataset"];
        var datasetId = await db.SequenceDatasets.Where(d => d.Name == name).Select(d => (int?)d.Id).SingleOrDefaultAsync(ct);
        var parameters = new SequenceImportParameters(format, Guid.Empty, Path.GetFileName(path), datasetId,
            datasetId is null ? name : null, values.GetValueOrDefault("part", SequenceParts.Train), labelAll,
            values.GetValueOrDefault("description"), values.GetValueOrDefault("source"));
        var actor = AuditActor.System("cli");
        SequenceImportResult result;
        try
        {
            await using var file = File.OpenRead(path);
            result = await SequenceImporter.ImportAsync(db, parameters, file, actor.Name, DateTime.UtcNow, (_, _) => ValueTask.CompletedTask, ct);
        }
        catch (ImportException e)
        {
            await error.WriteLineAsync(e.Message);
            return 1;
        }
        await new AuditTrail(TimeProvider.System).RecordAsync(db, actor, SequenceImportJob.AuditAction, nameof(SequenceDataset),
            result.DatasetId.ToString(CultureInfo.InvariantCulture), null, SequenceImportJob.AuditDetails(null, parameters, result, actor.Name), ct);
        await transaction.CommitAsync(ct);
        var seconds = clock.Elapsed.TotalSeconds;
        await output.WriteLineAsync(JsonSerializer.Serialize(new
        {
            dataset = result.DatasetName,
            datasetId = result.DatasetId,
            result.CreatedDataset,
            counts = result.Counts,
            wallSeconds = Math.Round(seconds, 3),
            eventsPerSecond = Math.Round(result.Counts.Events / Math.Max(seconds, 1e-9)),
        }, Json));
        return 0;
    }
}

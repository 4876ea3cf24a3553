using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Sequences;
using WebApp.Testing;
using WebApp.Workers.Sequences;

namespace WebApp.Workers.Tests.Sequences;

public sealed class SequenceCommandLineTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("seq-cli-").FullName;
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SequenceCommandLine.RunAsync(args, _database.ConnectionString, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Import_creates_the_dataset_then_appends_to_it_and_reports_counts_and_speed()
    {
        var train = Path.Combine(_dir, "train.txt");
        var abnormal = Path.Combine(_dir, "abnormal.txt");
        await File.WriteAllTextAsync(train, "1 2 3 \n2 3");
        await File.WriteAllTextAsync(abnormal, "3 4\n");

        var first = await RunAsync("import", "--dataset", "Cli", "--format", "lines", "--file", train);
        var second = await RunAsync("import", "--dataset", "Cli", "--format", "Lines", "--file", abnormal, "--part", "test", "--label-all", "novel");
        var repeated = await RunAsync("import", "--dataset", "Cli", "--format", "lines", "--file", abnormal, "--part", "test");

        Assert.Equal(0, first.Code);
        using (var report = JsonDocument.Parse(first.Output))
        {
            Assert.True(report.RootElement.GetProperty("createdDataset").GetBoolean());
            Assert.Equal(5, report.RootElement.GetProperty("counts").GetProperty("events").GetInt64());
            Assert.True(report.RootElement.GetProperty("eventsPerSecond").GetDouble() > 0);
        }
        Assert.Equal(0, second.Code);
        Assert.Equal(1, repeated.Code);
        Assert.Equal("abnormal.txt line 1: sequence id 'abnormal.txt:1' is already in part 'test' of the dataset (was this file imported before?)",
            repeated.Error.Trim());
        await using var db = _database.CreateContext();
        var dataset = await db.SequenceDatasets.SingleAsync();
        Assert.Equal(("Cli", "system:cli"), (dataset.Name, dataset.CreatedByName));
        Assert.Equal([(SequenceParts.Train, 1), (SequenceParts.Train, 2), (SequenceParts.Test, 3)],
            (await db.EventSequences.OrderBy(s => s.Ordinal).Select(s => new { s.Part, s.Ordinal }).ToListAsync()).Select(s => (s.Part, s.Ordinal)));
        Assert.Equal(KnownLabel.Novel, (await db.SequenceLabels.SingleAsync()).Label);
        Assert.Equal(2, await db.AuditRecords.CountAsync(r => r.Action == "sequences.imported"));
    }

    [Fact]
    public async Task Missing_options_print_the_usage()
    {
        var result = await RunAsync("import", "--dataset", "X");

        Assert.Equal(2, result.Code);
        Assert.Contains(SequenceCommandLine.Usage, result.Error, StringComparison.Ordinal);
    }
}

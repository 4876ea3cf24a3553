using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Sequences;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Workers.Sequences.Import;

namespace WebApp.Workers.Tests.Sequences.Import;

public sealed class SequenceImportJobTests : SequenceImportHarness
{
    [Fact]
    public async Task Lines_tolerate_trailing_spaces_crlf_tabs_and_a_missing_final_newline_and_skip_blank_lines()
    {
        var run = await ImportAsync(SequenceImportFormat.Lines, "events.txt", "a b c \r\nb  a\r\n   \r\nc\td");

        AssertSucceeded(run);
        var datasetId = await DatasetIdAsync("Test");
        Assert.Equal(
            [
                ("train", 1, "events.txt:1", "a|b|c", (DateTime[]?)null),
                ("train", 2, "events.txt:2", "b|a", null),
                ("train", 3, "events.txt:4", "c|d", null),
            ],
            await SequencesAsync(datasetId));
        await using var db = Db();
        var types = await db.SequenceEventTypes.Where(e => e.DatasetId == datasetId).OrderBy(e => e.Index).ToListAsync();
        Assert.Equal(["a", "b", "c", "d"], types.Select(t => t.Key));
        Assert.Equal([0, 1, 2, 3], types.Select(t => t.Index));
        Assert.Equal(types.Select(t => t.Key), types.Select(t => t.DisplayName));
        Assert.Equal(["#e69f00", "#56b4e9", "#009e73", "#f0e442"], types.Select(t => t.Color));
        Assert.Equal((4L, 1L, 3L, 7L, 4L, 0L), (Metric(run, "lines"), Metric(run, "blankLines"), Metric(run, "sequences"),
            Metric(run, "events"), Metric(run, "newEventTypes"), Metric(run, "labels")));
        var dataset = await db.SequenceDatasets.SingleAsync(d => d.Id == datasetId);
        Assert.Equal("tester", dataset.CreatedByName);
        var audit = await db.AuditRecords.SingleAsync(r => r.Action == SequenceImportJob.AuditAction);
        Assert.Equal((nameof(SequenceDataset), datasetId.ToString(System.Globalization.CultureInfo.InvariantCulture)), (audit.EntityType, audit.EntityId));
        Assert.Contains("\"fileName\":\"events.txt\"", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_into_an_existing_dataset_appends_ordinals_and_vocabulary_and_refuses_the_same_file_twice()
    {
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Lines, "first.txt", "a b\nb c\n"));
        var datasetId = await DatasetIdAsync("Test");

        AssertSucceeded(await ImportAsync(SequenceImportFormat.Lines, "more.txt", "c d\n", datasetId: datasetId, part: SequenceParts.Test));

        Assert.Equal(
            [
                ("train", 1, "first.txt:1", "a|b", (DateTime[]?)null),
                ("train", 2, "first.txt:2", "b|c", null),
                ("test", 3, "more.txt:1", "c|d", null),
            ],
            await SequencesAsync(datasetId));
        await using (var db = Db())
        {
            Assert.Equal(["a", "b", "c", "d"], await db.SequenceEventTypes.Where(e => e.DatasetId == datasetId).OrderBy(e => e.Index)
                .Select(e => e.Key).ToListAsync());
        }
        var before = await CountsAsync();

        var again = await ImportAsync(SequenceImportFormat.Lines, "more.txt", "c d\n", datasetId: datasetId, part: SequenceParts.Test);
        var sameName = await ImportAsync(SequenceImportFormat.Lines, "other.txt", "a\n", newDataset: "TEST");

        AssertFailed(again, "more.txt line 1: sequence id 'more.txt:1' is already in part 'test' of the dataset (was this file imported before?)");
        AssertFailed(sameName, "other.txt: a dataset named 'TEST' already exists; import into it or choose another name");
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Csv_sorts_each_sequence_by_position_follows_rfc_4180_quoting_and_keeps_first_appearance_order()
    {
        var run = await ImportAsync(SequenceImportFormat.Csv, "events.csv",
            "sequence_id,position,event\r\n"
            + "s2,2,\"open, read\"\r\n"
            + "s1,3,close\r\n"
            + "s1,1,open\r\n"
            + "s2,1,start\r\n"
            + "s1,2,\"say \"\"hi\"\"\"\r\n");

        AssertSucceeded(run);
        var datasetId = await DatasetIdAsync("Test");
        Assert.Equal(
            [
                ("train", 1, "s2", "start|open, read", (DateTime[]?)null),
                ("train", 2, "s1", "open|say \"hi\"|close", null),
            ],
            await SequencesAsync(datasetId));
        await using var db = Db();
        Assert.Equal(["open, read", "close", "open", "start", "say \"hi\""],
            await db.SequenceEventTypes.Where(e => e.DatasetId == datasetId).OrderBy(e => e.Index).Select(e => e.Key).ToListAsync());
        Assert.Equal((6L, 2L, 5L), (Metric(run, "lines"), Metric(run, "sequences"), Metric(run, "events")));
    }

    [Fact]
    public async Task Csv_with_timestamps_finds_columns_by_name_sorts_by_time_keeps_ties_in_file_order_and_stores_utc()
    {
        var run = await ImportAsync(SequenceImportFormat.Csv, "log.tsv",
            "event\ttime\tcase_id\n"
            + "B\t2024-05-01T10:00:02+02:00\tc1\n"
            + "A\t2024-05-01T08:00:01Z\tc1\n"
            + "X\t2024-05-01T09:00:00Z\tc2\n"
            + "C\t2024-05-01T08:00:01Z\tc1\n"
            + "D\t2024-05-01 08:00:03\tc1\n");

        AssertSucceeded(run);
        var sequences = await SequencesAsync(await DatasetIdAsync("Test"));
        Assert.Equal([("c1", "A|C|B|D"), ("c2", "X")], sequences.Select(s => (s.SourceId, s.Keys)));
        DateTime At(int hour, int minute, int second) => new(2024, 5, 1, hour, minute, second, DateTimeKind.Utc);
        Assert.Equal([At(8, 0, 1), At(8, 0, 1), At(8, 0, 2), At(8, 0, 3)], sequences[0].Timestamps!);
        Assert.All(sequences[0].Timestamps!, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
        Assert.Equal([At(9, 0, 0)], sequences[1].Timestamps!);
    }

    [Fact]
    public async Task Jsonl_takes_string_and_number_ids_and_events_and_stores_labels_apart()
    {
        const string content = """
            {"id": "x1", "events": ["login", 3, "logout"], "label": "novel"}

            {"id": 7, "events": [3, 3], "label": null, "extra": {"ignored": true}}
            {"id": "x2", "events": ["login"], "label": "Normal"}
            """;
        var run = await ImportAsync(SequenceImportFormat.Jsonl, "seq.jsonl", content);

        AssertSucceeded(run);
        var datasetId = await DatasetIdAsync("Test");
        Assert.Equal([(1, "x1", "login|3|logout"), (2, "7", "3|3"), (3, "x2", "login")],
            (await SequencesAsync(datasetId)).Select(s => (s.Ordinal, s.SourceId, s.Keys)));
        Assert.Equal(["x1:Novel", "x2:Normal"], await LabelsAsync(datasetId));
        Assert.Equal((1L, 2L), (Metric(run, "blankLines"), Metric(run, "labels")));
        await using var db = Db();
        Assert.All(await db.SequenceLabels.ToListAsync(), l => Assert.Equal("seq.jsonl", l.Source));

        // Label-all labels the rest; a sequence's own label stays.
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Jsonl, "seq.jsonl", content, newDataset: "Labelled", labelAll: KnownLabel.Novel));
        Assert.Equal(["7:Novel", "x1:Novel", "x2:Normal"], await LabelsAsync(await DatasetIdAsync("Labelled")));
    }

    [Fact]
    public async Task Label_all_labels_every_imported_sequence_and_nothing_else()
    {
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Lines, "train.txt", "a b\nb a\n"));
        var datasetId = await DatasetIdAsync("Test");

        var run = await ImportAsync(SequenceImportFormat.Lines, "abnormal.txt", "a a\nb\n", datasetId: datasetId, part: SequenceParts.Test,
            labelAll: KnownLabel.Novel);

        AssertSucceeded(run);
        Assert.Equal(["abnormal.txt:1:Novel", "abnormal.txt:2:Novel"], await LabelsAsync(datasetId));
        Assert.Equal(2, Metric(run, "labels"));
    }

    [Fact]
    public async Task A_labels_file_with_or_without_header_comma_or_tab_replaces_earlier_labels()
    {
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Lines, "s.txt", "a b\nb c\nc a\n"));
        var datasetId = await DatasetIdAsync("Test");

        var first = await ImportAsync(SequenceImportFormat.Labels, "labels.tsv", "sequence\tlabel\ns.txt:1\tnovel\ns.txt:3\t0\n", datasetId: datasetId);
        AssertSucceeded(first);
        Assert.Equal(["s.txt:1:Novel", "s.txt:3:Normal"], await LabelsAsync(datasetId));

        var second = await ImportAsync(SequenceImportFormat.Labels, "fix.csv", "s.txt:1,NORMAL\r\ns.txt:2,1", datasetId: datasetId);
        AssertSucceeded(second);
        Assert.Equal(["s.txt:1:Normal", "s.txt:2:Novel", "s.txt:3:Normal"], await LabelsAsync(datasetId));
        Assert.Equal((2L, 3L), (Metric(second, "labels"), Metric(second, "vocabularySize")));
        await using var db = Db();
        Assert.Equal(["fix.csv", "fix.csv", "labels.tsv"], await db.SequenceLabels.OrderBy(l => l.Source).Select(l => l.Source).ToListAsync());
    }

    [Fact]
    public async Task A_labels_file_finds_ids_in_either_part_and_takes_the_chosen_part_for_an_id_in_both()
    {
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Jsonl, "train.jsonl", "{\"id\": 1, \"events\": [\"a\"]}\n{\"id\": 2, \"events\": [\"b\"]}"));
        var datasetId = await DatasetIdAsync("Test");
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Jsonl, "test.jsonl", "{\"id\": 1, \"events\": [\"b\"]}", datasetId: datasetId,
            part: SequenceParts.Test));

        AssertSucceeded(await ImportAsync(SequenceImportFormat.Labels, "labels.csv", "1,novel\n2,normal\n", datasetId: datasetId,
            part: SequenceParts.Test));

        await using var db = Db();
        var labelled = await (from l in db.SequenceLabels
                              join s in db.EventSequences on l.SequenceId equals s.Id
                              orderby s.Ordinal
                              select new { s.Part, s.SourceId, l.Label }).ToListAsync();
        Assert.Equal([(SequenceParts.Train, "2", KnownLabel.Normal), (SequenceParts.Test, "1", KnownLabel.Novel)],
            labelled.Select(l => (l.Part, l.SourceId, l.Label)));
    }

    [Fact]
    public async Task The_tiny_hdfs_fixture_imports_line_for_line()
    {
        var directory = Path.Combine(RepositoryPaths.Root, "demo", "sequences", "hdfs", "tiny");
        var train = await File.ReadAllTextAsync(Path.Combine(directory, "hdfs_train"));
        var abnormal = await File.ReadAllTextAsync(Path.Combine(directory, "hdfs_test_abnormal"));

        var trainRun = await ImportAsync(SequenceImportFormat.Lines, "hdfs_train", train, newDataset: "HDFS tiny");
        AssertSucceeded(trainRun);
        Assert.Equal((300L, 14L), (Metric(trainRun, "sequences"), Metric(trainRun, "vocabularySize")));
        var datasetId = await DatasetIdAsync("HDFS tiny");
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Lines, "hdfs_test_abnormal", abnormal, datasetId: datasetId,
            part: SequenceParts.Test, labelAll: KnownLabel.Novel));

        var sequences = await SequencesAsync(datasetId);
        Assert.Equal(400, sequences.Count);
        Assert.Equal(("train", "hdfs_train:1", "5|5|5|22|11|9|11|9|11|9|26|26|26|23|23|23|21|21|21"),
            (sequences[0].Part, sequences[0].SourceId, sequences[0].Keys));
        Assert.Equal(("test", 303, "hdfs_test_abnormal:3", "5|22"),
            (sequences[302].Part, sequences[302].Ordinal, sequences[302].SourceId, sequences[302].Keys));
        // Every line, token for token, in order.
        var expected = train.Split('\n').Select((line, i) => ("train", $"hdfs_train:{i + 1}", line))
            .Concat(abnormal.Split('\n').Select((line, i) => ("test", $"hdfs_test_abnormal:{i + 1}", line)))
            .Where(x => x.Item3.Trim().Length > 0)
            .Select(x => (x.Item1, x.Item2, string.Join('|', x.Item3.Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .ToList();
        Assert.Equal(expected, sequences.Select(s => (s.Part, s.SourceId, s.Keys)));
        await using var db = Db();
        Assert.Equal(expected.SelectMany(e => e.Item3.Split('|')).Distinct().Count(),
            await db.SequenceEventTypes.CountAsync(e => e.DatasetId == datasetId));
        Assert.Equal(100, (await LabelsAsync(datasetId)).Count(l => l.EndsWith(":Novel", StringComparison.Ordinal)));
    }

    public static readonly TheoryData<SequenceImportFormat, string, string, string> MalformedFiles = new()
    {
        { SequenceImportFormat.Lines, "bad.txt", "a b\nc d\ne \u0001f\n", "bad.txt line 3: event '\\u0001f' contains a control character" },
        { SequenceImportFormat.Lines, "bad.txt", "a b\n" + new string('x', 201) + "\n",
            "bad.txt line 2: event 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is longer than 200 characters" },
        { SequenceImportFormat.Lines, "bad.txt", "\n \n", "bad.txt: the file holds no sequences" },
        { SequenceImportFormat.Csv, "bad.csv", "id,position,event\ns1,1,a\ns1,2\n",
            "bad.csv line 3: expected 3 comma-separated fields (sequence id, position or timestamp, event), found 2" },
        { SequenceImportFormat.Csv, "bad.csv", "id,event\ns1,a\n",
            "bad.csv line 1: the header needs 3 comma-separated columns (sequence id, position or timestamp, event), found 2" },
        { SequenceImportFormat.Csv, "bad.csv", "id,position,event\ns1,1,a\ns2,1,b\ns1,2,c\ns1,1,d\n",
            "bad.csv line 5: sequence 's1' has position 1 twice (also line 2)" },
        { SequenceImportFormat.Csv, "bad.csv", "id,position,event\ns1,1,a\ns1,x,b\n",
            "bad.csv line 3: 'x' is not an integer position (the file's first row gave one)" },
        { SequenceImportFormat.Csv, "bad.csv", "id,time,event\ns1,yesterday,a\n",
            "bad.csv line 2: 'yesterday' is neither an integer position nor an ISO 8601 timestamp (e.g. 2024-05-01T12:00:00Z)" },
        { SequenceImportFormat.Csv, "bad.csv", "id,position,event\ns1,1,\"a\n", "bad.csv line 2: a quoted field is not closed before the end of the file" },
        { SequenceImportFormat.Jsonl, "bad.jsonl", "{\"id\": \"x\", \"events\": [\"a\"]}\n{\"id\": \"y\", \"events\": [\"a\",]}\n",
            "bad.jsonl line 2: invalid JSON at byte " },
        { SequenceImportFormat.Jsonl, "bad.jsonl", "{\"id\": \"x\", \"events\": [\"a\", true]}\n",
            "bad.jsonl line 1: event 2 is a boolean; events are strings or numbers" },
        { SequenceImportFormat.Jsonl, "bad.jsonl", "{\"events\": [\"a\"]}\n", "bad.jsonl line 1: the object has no \"id\"" },
        { SequenceImportFormat.Jsonl, "bad.jsonl", "{\"id\": \"x\", \"events\": []}\n", "bad.jsonl line 1: sequence 'x' has no events" },
        { SequenceImportFormat.Jsonl, "bad.jsonl", "{\"id\": 1, \"events\": [\"a\"]}\n{\"id\": 1, \"events\": [\"b\"]}\n",
            "bad.jsonl line 2: sequence id '1' repeats line 1" },
        { SequenceImportFormat.Jsonl, "bad.jsonl", "{\"id\": \"x\", \"events\": [\"a\"], \"label\": \"weird\"}\n",
            "bad.jsonl line 1: \"label\" must be \"normal\" or \"novel\", found \"weird\"" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task A_malformed_file_fails_with_file_line_and_reason_and_leaves_nothing_behind(
        SequenceImportFormat format, string fileName, string content, string error)
    {
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Lines, "good.txt", "p q\n", newDataset: "Good"));
        var before = await CountsAsync();

        var run = await ImportAsync(format, fileName, content, newDataset: "Bad");

        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.StartsWith(error, run.Error, StringComparison.Ordinal);
        Assert.Equal(before, await CountsAsync());
        await using var db = Db();
        Assert.False(await db.SequenceDatasets.AnyAsync(d => d.Name == "Bad"));
    }

    public static readonly TheoryData<string, string> MalformedLabels = new()
    {
        { "s.txt:1,novel\ns.txt:9,novel\n", "labels.csv line 2: no sequence with id 's.txt:9' in the dataset" },
        { "s.txt:1,novel\ns.txt:2,weird\n", "labels.csv line 2: label 'weird' is not normal or novel (or 0/1)" },
        { "s.txt:1,abnormal\n", "labels.csv line 1: label 'abnormal' is not normal or novel (or 0/1)" },
        { "id,label\ns.txt:1,novel\ns.txt:1,normal\n", "labels.csv line 3: sequence 's.txt:1' is labelled twice (also line 2)" },
        { "s.txt:1\n", "labels.csv line 1: expected 2 comma-separated fields (sequence id, label), found 1" },
    };

    [Theory]
    [MemberData(nameof(MalformedLabels))]
    public async Task A_malformed_labels_file_fails_with_its_line_and_keeps_the_earlier_labels(string content, string error)
    {
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Lines, "s.txt", "a b\nb c\n"));
        var datasetId = await DatasetIdAsync("Test");
        AssertSucceeded(await ImportAsync(SequenceImportFormat.Labels, "old.csv", "s.txt:2,normal\n", datasetId: datasetId));
        var before = await CountsAsync();

        var run = await ImportAsync(SequenceImportFormat.Labels, "labels.csv", content, datasetId: datasetId);

        AssertFailed(run, error);
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(["s.txt:2:Normal"], await LabelsAsync(datasetId));
    }

    [Fact]
    public async Task A_retried_import_does_not_duplicate()
    {
        var file = await UploadAsync("retry.txt", "a b\nb c\n");
        var id = await QueueAsync(new SequenceImportParameters(SequenceImportFormat.Lines, file.Id, file.Name, NewDatasetName: "Retry"));

        // A first attempt that died before its commit (a killed worker): its transaction rolls back.
        await using (var db = Db())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await using var stream = new MemoryStream("a b\nb c\n"u8.ToArray());
            await SequenceImporter.ImportAsync(db, new SequenceImportParameters(SequenceImportFormat.Lines, file.Id, file.Name,
                NewDatasetName: "Retry"), stream, "tester", DateTime.UtcNow, (_, _) => ValueTask.CompletedTask, CancellationToken.None);
        }
        await CreateJob().RunAsync(id, CancellationToken.None);
        await CreateJob().RunAsync(id, CancellationToken.None); // Hangfire runs it again after the commit

        AssertSucceeded(await RunAsync(id));
        Assert.Equal("SequenceDatasets=1, SequenceEventTypes=3, EventSequences=2, SequenceLabels=0, imports audited=1", await CountsAsync());
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.Assessments;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Sequences;
using WebApp.Domain.Sequences.Novelty;
using WebApp.Domain.Training;
using WebApp.Testing;

namespace WebApp.IntegrationTests.Assessments;

public sealed class ModelMetricSourceTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private ModelMetricSource Source => new(_database.CreateFactory());

    private static string RelationMetrics(double auc, double maxF1, double? p300, SentenceEvaluation? gold) =>
        JsonSerializer.Serialize(new ModelEvaluation(
            new HeldOutEvaluation(auc, 0.9, 0.85, p300, maxF1, 0.4, 120, [new PrPoint(0.1, 0.9)], [new RelationScore("founded", 0.8, 0.7, 0.75, 30)]),
            gold, [new EpochRecord(1, 0.5, auc, 2.0)], 1), JobJson.Options);

    private static DetectionSummary Summary(double? rocAuc, double f1) =>
        new(90, 10, rocAuc, 0.6, f1, 0.7, 0.8, 0.02, [[0, 0], [1, 1]]);

    private static string NoveltyMetrics(double rocAuc, DateTime evaluatedAt) =>
        JsonSerializer.Serialize(new NoveltyEvaluation(100, 80,
            new EvaluatedPart(Summary(rocAuc, 0.66), Summary(rocAuc - 0.01, 0.64)),
            new EvaluatedPart(Summary(0.8, 0.5), Summary(0.79, 0.49)), [], 3.5, evaluatedAt), JobJson.Options);

    private async Task<(int Project, ModelVersion V1)> SeedRelationsAsync()
    {
        await using var db = _database.CreateContext();
        var project = await RelationProjects.CreateAsync(db, "FewRel demo", "", "tester", CancellationToken.None);
        var v1 = new ModelVersion
        {
            ProjectId = project.Id,
            Number = 1,
            Architecture = "pcnn",
            CreatedAt = Start,
            Metrics = RelationMetrics(0.61, 0.55, null, new SentenceEvaluation(0.7, 0.6, 0.646, 200, [])),
        };
        db.ModelVersions.Add(v1);
        await db.SaveChangesAsync();
        return (project.Id, v1);
    }

    private static async Task<ModelVersion> AddVersionAsync(TestDatabase database, int projectId, int number, string metrics, DateTime at)
    {
        await using var db = database.CreateContext();
        var version = new ModelVersion { ProjectId = projectId, Number = number, Architecture = "pcnn", CreatedAt = at, Metrics = metrics };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync();
        return version;
    }

    private async Task<(int Dataset, NoveltyModelSet Evaluated)> SeedNoveltyAsync()
    {
        await using var db = _database.CreateContext();
        var dataset = new SequenceDataset { Name = "HDFS sample", CreatedAt = Start, CreatedByName = "tester" };
        db.SequenceDatasets.Add(dataset);
        await db.SaveChangesAsync();
        var evaluated = new NoveltyModelSet
        {
            DatasetId = dataset.Id,
            Name = "k=4",
            CreatedAt = Start.AddHours(1),
            Evaluation = NoveltyMetrics(0.93, Start.AddHours(2)),
        };
        // A set still training has no evaluation: nothing to bind to.
        var unevaluated = new NoveltyModelSet { DatasetId = dataset.Id, Name = "training", CreatedAt = Start.AddHours(3) };
        db.NoveltyModelSets.AddRange(evaluated, unevaluated);
        await db.SaveChangesAsync();
        return (dataset.Id, evaluated);
    }

    [Fact]
    public async Task Lists_the_metrics_of_models_with_stored_evaluations_newest_first()
    {
        var (_, v1) = await SeedRelationsAsync();
        var (_, set) = await SeedNoveltyAsync();

        var options = await Source.ListAsync();

        var relation = options.Where(o => o.Source == MetricSourceKind.RelationModel).ToList();
        Assert.All(relation, o => Assert.Equal(v1.Id, o.SourceId));
        Assert.All(relation, o => Assert.Equal("Relations 'FewRel demo' · model v1", o.SourceName));
        Assert.Equal(
            ["heldOut.auc", "heldOut.maxF1", "heldOut.precisionAt100", "heldOut.precisionAt200", "gold.precision", "gold.recall", "gold.f1"],
            relation.Select(o => o.Key));
        Assert.Equal(0.55, relation.Single(o => o.Key == "heldOut.maxF1").Value);
        Assert.Equal(Start, relation[0].MeasuredAt);

        var novelty = options.Where(o => o.Source == MetricSourceKind.NoveltyModelSet).ToList();
        Assert.All(novelty, o => Assert.Equal(set.Id, o.SourceId));
        Assert.Equal("Novelty 'HDFS sample' · model set k=4", novelty[0].SourceName);
        Assert.Contains(novelty, o => o.Key == "overall.rocAuc" && o.Value == 0.93);
        Assert.Contains(novelty, o => o.Key == "overall.f1" && o.Value == 0.66);
        Assert.Contains(novelty, o => o.Key == "dedup.rocAuc" && Math.Abs(o.Value!.Value - 0.92) < 1e-9);
        Assert.Contains(novelty, o => o.Key == "overall.falsePositiveRate" && o.Value == 0.02);
        Assert.Contains(novelty, o => o.Key == "global.rocAuc" && o.Value == 0.8);
        Assert.Equal(Start.AddHours(2), novelty[0].MeasuredAt);

        // The novelty set was evaluated after the relation model was trained.
        Assert.Equal(MetricSourceKind.NoveltyModelSet, options[0].Source);
        Assert.Equal(options.Count, options.Select(o => (o.Source, o.SourceId, o.Key)).Distinct().Count());
    }

    [Fact]
    public async Task Options_are_grouped_by_model_with_the_version_in_use_marked()
    {
        var (projectId, v1) = await SeedRelationsAsync();
        var (_, set) = await SeedNoveltyAsync();
        // v2 is newer, but the project still uses v1; between them the novelty set was evaluated.
        var v2 = await AddVersionAsync(_database, projectId, 2, RelationMetrics(0.7, 0.6, null, null), Start.AddHours(5));
        await using (var db = _database.CreateContext())
        {
            await db.RelationProjects.Where(p => p.Id == projectId).ExecuteUpdateAsync(u => u.SetProperty(p => p.ActiveModelVersionId, v1.Id));
        }

        var options = await Source.ListAsync();

        // One block per model: the relation model's versions together (newest first), then the novelty model.
        Assert.Equal(["Relations 'FewRel demo'", "Novelty 'HDFS sample'"], options.Select(o => o.Model).Distinct());
        Assert.Equal([v2.Id, v1.Id], options.Where(o => o.Source == MetricSourceKind.RelationModel).Select(o => o.SourceId).Distinct());
        Assert.All(options.Where(o => o.SourceId == v1.Id && o.Source == MetricSourceKind.RelationModel), o => Assert.True(o.InUse));
        Assert.All(options.Where(o => o.SourceId == v2.Id && o.Source == MetricSourceKind.RelationModel), o => Assert.False(o.InUse));
        Assert.Equal("model v2", options[0].Version);
        Assert.All(options.Where(o => o.Source == MetricSourceKind.NoveltyModelSet), o => Assert.Equal($"model set {set.Name}", o.Version));
    }

    [Fact]
    public async Task A_version_without_metrics_is_not_offered()
    {
        var (projectId, _) = await SeedRelationsAsync();
        var bare = await AddVersionAsync(_database, projectId, 2, "{}", Start.AddDays(1));

        var options = await Source.ListAsync();

        Assert.DoesNotContain(options, o => o.Source == MetricSourceKind.RelationModel && o.SourceId == bare.Id);
        Assert.Null(await Source.ReadAsync(MetricSourceKind.RelationModel, bare.Id, "heldOut.auc"));
    }

    [Fact]
    public async Task Reads_a_metric_and_flags_a_newer_relation_version()
    {
        var (projectId, v1) = await SeedRelationsAsync();

        var before = await Source.ReadAsync(MetricSourceKind.RelationModel, v1.Id, "gold.f1");
        Assert.NotNull(before);
        Assert.Equal(0.646, before.Metric.Value);
        Assert.False(before.NewerVersionAvailable);

        var v2 = await AddVersionAsync(_database, projectId, 2, RelationMetrics(0.7, 0.6, 0.8, null), Start.AddDays(1));

        var after = await Source.ReadAsync(MetricSourceKind.RelationModel, v1.Id, "gold.f1");
        Assert.True(after!.NewerVersionAvailable);
        var newest = await Source.ReadAsync(MetricSourceKind.RelationModel, v2.Id, "heldOut.precisionAt300");
        Assert.Equal(0.8, newest!.Metric.Value);
        Assert.False(newest.NewerVersionAvailable);
        // v2 has no gold evaluation.
        Assert.Null(await Source.ReadAsync(MetricSourceKind.RelationModel, v2.Id, "gold.f1"));
    }

    [Fact]
    public async Task Flags_a_newer_evaluated_model_set_of_the_same_dataset_only()
    {
        var (datasetId, set) = await SeedNoveltyAsync();

        // The newer set still training does not count.
        var reading = await Source.ReadAsync(MetricSourceKind.NoveltyModelSet, set.Id, "overall.rocAuc");
        Assert.Equal(0.93, reading!.Metric.Value);
        Assert.False(reading.NewerVersionAvailable);

        await using (var db = _database.CreateContext())
        {
            var other = new SequenceDataset { Name = "other", CreatedAt = Start, CreatedByName = "tester" };
            db.SequenceDatasets.Add(other);
            await db.SaveChangesAsync();
            db.NoveltyModelSets.Add(new NoveltyModelSet { DatasetId = other.Id, Name = "x", CreatedAt = Start.AddDays(1), Evaluation = NoveltyMetrics(0.5, Start.AddDays(1)) });
            await db.SaveChangesAsync();
        }
        Assert.False((await Source.ReadAsync(MetricSourceKind.NoveltyModelSet, set.Id, "overall.rocAuc"))!.NewerVersionAvailable);

        await using (var db = _database.CreateContext())
        {
            db.NoveltyModelSets.Add(new NoveltyModelSet { DatasetId = datasetId, Name = "k=6", CreatedAt = Start.AddDays(1), Evaluation = NoveltyMetrics(0.95, Start.AddDays(1)) });
            await db.SaveChangesAsync();
        }
        Assert.True((await Source.ReadAsync(MetricSourceKind.NoveltyModelSet, set.Id, "overall.rocAuc"))!.NewerVersionAvailable);
    }

    [Fact]
    public async Task A_missing_source_or_metric_reads_as_null()
    {
        var (_, v1) = await SeedRelationsAsync();

        Assert.Null(await Source.ReadAsync(MetricSourceKind.RelationModel, v1.Id + 1000, "heldOut.auc"));
        Assert.Null(await Source.ReadAsync(MetricSourceKind.NoveltyModelSet, 12345, "overall.rocAuc"));
        Assert.Null(await Source.ReadAsync(MetricSourceKind.RelationModel, v1.Id, "no.such.metric"));
        // P@300 could not be computed for v1 (null in its evaluation).
        Assert.Null(await Source.ReadAsync(MetricSourceKind.RelationModel, v1.Id, "heldOut.precisionAt300"));
    }

    [Fact]
    public async Task Reads_bound_criteria_by_id_and_leaves_unbound_ones_out()
    {
        var (_, v1) = await SeedRelationsAsync();
        var (_, set) = await SeedNoveltyAsync();
        AssessmentCriterion[] criteria =
        [
            new() { Id = 1, Kpi = "F1", MetricSource = MetricSourceKind.RelationModel, MetricSourceId = v1.Id, MetricKey = "heldOut.maxF1" },
            new() { Id = 2, Kpi = "AUC", MetricSource = MetricSourceKind.RelationModel, MetricSourceId = v1.Id, MetricKey = "heldOut.auc" },
            new() { Id = 3, Kpi = "ROC", MetricSource = MetricSourceKind.NoveltyModelSet, MetricSourceId = set.Id, MetricKey = "overall.rocAuc" },
            new() { Id = 4, Kpi = "gone", MetricSource = MetricSourceKind.RelationModel, MetricSourceId = v1.Id + 1000, MetricKey = "heldOut.auc" },
            new() { Id = 5, Kpi = "manual", ManualValue = 0.5 },
        ];

        var readings = await Source.ReadBoundAsync(criteria);

        Assert.Equal([1, 2, 3, 4], readings.Keys.Order());
        Assert.Equal(0.55, readings[1]!.Metric.Value);
        Assert.Equal(0.61, readings[2]!.Metric.Value);
        Assert.Equal(0.93, readings[3]!.Metric.Value);
        Assert.Null(readings[4]);
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.RelationExtraction.ActiveLearning;
using WebApp.Domain.Training;
using WebApp.Testing;
using WebApp.Workers.RelationExtraction.ActiveLearning;
using WebApp.Workers.Training;

namespace WebApp.Workers.Tests.RelationExtraction.ActiveLearning;

public sealed class LearningCurveJobTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private LearningCurveJob CreateJob()
    {
        var factory = _database.CreateFactory();
        var devices = new TorchDevices(Options.Create(new WorkerOptions { TorchThreads = 1 }), NullLogger<TorchDevices>.Instance);
        return new LearningCurveJob(factory, new JobRunReporter(factory, TimeProvider.System),
            new AuditTrail(TimeProvider.System), devices, NullLogger<LearningCurveJob>.Instance);
    }

    /// <summary>
    /// "was born in" (born_in), "works for" (works_for), "met" (NA); every pair has two sentences. Every candidate
    /// has gold when <paramref name="withGold"/>; the knowledge base misses every fifth fact (distant label NA).
    /// </summary>
    private static async Task<int> SeedProjectAsync(AppDbContext db, bool withGold)
    {
        var project = await RelationProjects.CreateAsync(db, "synthetic", "", "test", CancellationToken.None);
        var bornIn = new RelationType { ProjectId = project.Id, Key = "born_in", Name = "born in", Index = 1 };
        var worksFor = new RelationType { ProjectId = project.Id, Key = "works_for", Name = "works for", Index = 2 };
        db.RelationTypes.AddRange(bornIn, worksFor);
        var document = new Document { ProjectId = project.Id, Title = "synthetic" };
        db.Documents.Add(document);
        await db.SaveChangesAsync();
        var na = await db.RelationTypes.SingleAsync(r => r.ProjectId == project.Id && r.IsNa);
        var patterns = new (RelationType Relation, string[] Words)[] { (bornIn, ["was", "born", "in"]), (worksFor, ["works", "for"]), (na, ["met"]) };
        var sentenceIndex = 0;
        for (var pair = 0; pair < 60; pair++)
        {
            var (relation, words) = patterns[pair % 3];
            var head = new KbEntity { ProjectId = project.Id, KbId = $"H{pair}", Name = $"person{pair}" };
            var tail = new KbEntity { ProjectId = project.Id, KbId = $"T{pair}", Name = $"thing{pair}" };
            db.KbEntities.AddRange(head, tail);
            await db.SaveChangesAsync();
            var distant = pair % 5 == 0 ? na : relation;
            var bag = new Bag { ProjectId = project.Id, HeadEntityId = head.Id, TailEntityId = tail.Id, Split = BagSplits.For(head.KbId, tail.KbId), CandidateCount = 2 };
            db.Bags.Add(bag);
            await db.SaveChangesAsync();
            db.DistantLabels.Add(new DistantLabel { BagId = bag.Id, RelationTypeId = distant.Id });
            for (var copy = 0; copy < 2; copy++)
            {
                string[] tokens = [.. (copy == 0 ? new[] { "Yesterday", "," } : new[] { "We", "heard", "that" }), head.Name, .. words, tail.Name, "."];
                var sentence = new Sentence { ProjectId = project.Id, DocumentId = document.Id, Index = sentenceIndex++, Tokens = tokens };
                db.Sentences.Add(sentence);
                await db.SaveChangesAsync();
                var headStart = Array.IndexOf(tokens, head.Name);
                var tailStart = Array.IndexOf(tokens, tail.Name);
                var headMention = new EntityMention { SentenceId = sentence.Id, EntityId = head.Id, Start = headStart, End = headStart + 1 };
                var tailMention = new EntityMention { SentenceId = sentence.Id, EntityId = tail.Id, Start = tailStart, End = tailStart + 1 };
                db.EntityMentions.AddRange(headMention, tailMention);
                await db.SaveChangesAsync();
                var candidate = new Candidate { ProjectId = project.Id, SentenceId = sentence.Id, HeadMentionId = headMention.Id, TailMentionId = tailMention.Id, BagId = bag.Id };
                db.Candidates.Add(candidate);
                await db.SaveChangesAsync();
                if (withGold) db.GoldLabels.Add(new GoldLabel { CandidateId = candidate.Id, RelationTypeId = relation.Id });
            }
        }
        await db.SaveChangesAsync();
        return project.Id;
    }

    private static async Task<Guid> QueueRunAsync(AppDbContext db, LearningCurveParameters parameters)
    {
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.LearningCurve,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.Serialize(parameters, JobJson.Options),
            RequestedByName = "Ada Admin",
            CreatedAt = DateTime.UtcNow,
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    [Fact]
    public async Task A_run_stores_the_curves_as_its_metrics()
    {
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            var projectId = await SeedProjectAsync(db, withGold: true);
            runId = await QueueRunAsync(db, new LearningCurveParameters(projectId, ["margin"], Seeds: 2, Rounds: 2, BatchSize: 4, Epochs: 2));
        }

        await CreateJob().RunAsync(runId, CancellationToken.None);

        await using var check = _database.CreateContext();
        var run = await check.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(run.TotalSteps, run.Step);
        Assert.Equal(2 * (1 + 2 * 2), run.TotalSteps);
        var result = JsonSerializer.Deserialize<JsonElement>(run.Metrics!);
        var curves = result.GetProperty("curves").EnumerateArray().ToList();
        Assert.Equal(4, curves.Count); // (random, margin) × 2 seeds
        Assert.All(curves, c => Assert.Equal([0, 4, 8], c.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("labels").GetInt32())));
        Assert.Equal(8, result.GetProperty("headline").GetProperty("randomBudget").GetInt32());
        // The web's learning-curves page reads the same metrics.
        var report = WebApp.Domain.RelationExtraction.ActiveLearning.LearningCurveReport.Parse(run.Metrics);
        Assert.NotNull(report);
        Assert.Equal(["random", "margin"], report.Summary.Select(s => s.Strategy));
        Assert.All(report.Summary, s => Assert.Equal([0, 4, 8], s.Points.Select(p => p.Labels)));
        Assert.Equal(8, report.Headline.RandomBudget);
        Assert.True(await check.AuditRecords.AnyAsync(a => a.EntityId == runId.ToString() && a.Action == "job.succeeded"));
    }

    [Fact]
    public async Task A_project_without_gold_is_refused_without_a_retry()
    {
        Guid runId;
        await using (var db = _database.CreateContext())
        {
            var projectId = await SeedProjectAsync(db, withGold: false);
            runId = await QueueRunAsync(db, new LearningCurveParameters(projectId, Seeds: 1, Rounds: 1, BatchSize: 2, Epochs: 1));
        }

        await CreateJob().RunAsync(runId, CancellationToken.None); // no exception: nothing to retry

        await using var check = _database.CreateContext();
        var run = await check.JobRuns.SingleAsync(r => r.Id == runId);
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Contains("gold", run.Error, StringComparison.Ordinal);
    }
}

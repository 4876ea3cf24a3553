using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;
using WebApp.Web.RelationExtraction;

namespace WebApp.IntegrationTests;

public class RelationPagesTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private RelationQueries Queries => app.Services.GetRequiredService<RelationQueries>();
    private CandidateSearch Search => app.Services.GetRequiredService<CandidateSearch>();

    private async Task<AppDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    private async Task<AuditActor> AdminAsync()
    {
        await using var db = await DbAsync();
        var admin = await db.Users.SingleAsync(u => u.Email == "admin@demo.local");
        return new AuditActor(admin.Id, admin.Email!);
    }

    [Fact]
    public async Task Creating_a_project_adds_its_NA_relation_and_an_audit_record()
    {
        var actor = await AdminAsync();

        var result = await Queries.CreateProjectAsync("  Created project  ", "About births.", 1.5, actor);

        Assert.Empty(result.Errors);
        await using var db = await DbAsync();
        var project = await db.RelationProjects.SingleAsync(p => p.Id == result.ProjectId);
        Assert.Equal("Created project", project.Name);
        Assert.Equal(1.5, project.NaSamplingRatio);
        var na = await db.RelationTypes.SingleAsync(r => r.ProjectId == project.Id);
        Assert.True(na.IsNa);
        Assert.Equal((RelationType.NaKey, 0), (na.Key, na.Index));
        var record = await db.AuditRecords.SingleAsync(r => r.Action == "relations.project-created" && r.EntityId == project.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(actor.UserId, record.UserId);
        Assert.Contains("Created project", record.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_name_must_be_given_and_unique_regardless_of_case()
    {
        var actor = await AdminAsync();
        Assert.Empty((await Queries.CreateProjectAsync("Unique name", "", 1, actor)).Errors);
        await using var db = await DbAsync();
        var audits = await db.AuditRecords.CountAsync();

        var duplicate = await Queries.CreateProjectAsync("unique NAME", "", 1, actor);
        var empty = await Queries.CreateProjectAsync("   ", "", 1, actor);
        var ratio = await Queries.CreateProjectAsync("Bad ratio", "", -1, actor);

        Assert.Null(duplicate.ProjectId);
        Assert.Equal(["A project named 'unique NAME' already exists; choose another name."], duplicate.Errors);
        Assert.Equal(["Name is required."], empty.Errors);
        Assert.Equal(["NA sampling ratio must be between 0 and 1000."], ratio.Errors);
        Assert.True(await Queries.NameTakenAsync("UNIQUE name"));
        Assert.Equal(audits, await db.AuditRecords.CountAsync());
    }

    [Fact]
    public async Task Statistics_count_facts_bags_candidates_gold_and_splits()
    {
        var data = await SeedAsync("Statistics project");

        var stats = await Queries.StatisticsAsync(data.ProjectId);

        var bornIn = stats.Relations.Single(r => r.Key == "born_in");
        Assert.Equal((1L, 1L, 2L, 1L), (bornIn.KbFacts, bornIn.Bags, bornIn.Candidates, bornIn.Gold));
        var na = stats.Relations.Single(r => r.IsNa);
        Assert.Equal((1L, 1L), (na.Bags, na.Candidates));
        Assert.Equal(3, stats.Candidates);
        Assert.Equal(2, stats.Bags);
        Assert.Equal(1.0 / 3, stats.NaShare, 6);
        Assert.Equal(2, stats.Splits.Single(s => s.Split == DataSplit.Train).Candidates);
        Assert.Equal(1, stats.Splits.Single(s => s.Split == DataSplit.Test).Candidates);
    }

    [Fact]
    public async Task Recent_jobs_are_the_runs_whose_parameters_name_the_project()
    {
        var data = await SeedAsync("Jobs project");
        var other = await SeedAsync("Other jobs project");

        var jobs = await Queries.RecentJobsAsync(data.ProjectId);

        Assert.Equal([data.JobRunId], jobs.Select(j => j.Id).ToArray());
        Assert.Equal([other.JobRunId], (await Queries.RecentJobsAsync(other.ProjectId)).Select(j => j.Id).ToArray());
        Assert.Empty(await Queries.RecentJobsAsync(data.ProjectId, JobKinds.RelationTraining));
    }

    [Fact]
    public async Task Candidate_search_filters_in_sql_and_pages_by_id()
    {
        var data = await SeedAsync("Search project");

        async Task<long[]> IdsAsync(CandidateFilter filter) =>
            (await Search.PageAsync(data.ProjectId, data.ModelVersionId, filter, 0, 25, count: true)).Rows.Select(r => r.Id).ToArray();

        Assert.Equal(data.CandidateIds, await IdsAsync(new CandidateFilter()));
        Assert.Equal(data.CandidateIds[..2], await IdsAsync(new CandidateFilter { DistantRelationTypeId = data.BornInId }));
        Assert.Equal(data.CandidateIds[2..], await IdsAsync(new CandidateFilter { Na = NaFilter.OnlyNa }));
        Assert.Equal(data.CandidateIds[..2], await IdsAsync(new CandidateFilter { Na = NaFilter.NotNa }));
        Assert.Equal(data.CandidateIds[2..], await IdsAsync(new CandidateFilter { Split = DataSplit.Test }));
        Assert.Equal([data.CandidateIds[0]], await IdsAsync(new CandidateFilter { Gold = GoldFilter.Labelled }));
        Assert.Equal([data.CandidateIds[0]], await IdsAsync(new CandidateFilter { Gold = GoldFilter.Relation, GoldRelationTypeId = data.BornInId }));
        Assert.Equal(data.CandidateIds[1..], await IdsAsync(new CandidateFilter { Gold = GoldFilter.Unlabelled }));
        Assert.Equal([data.CandidateIds[0]], await IdsAsync(new CandidateFilter { PredictedRelationTypeId = data.BornInId, MinConfidence = 0.8 }));
        Assert.Equal(data.CandidateIds[1..], await IdsAsync(new CandidateFilter { MaxConfidence = 0.7 }));
        Assert.Equal(data.CandidateIds[..2], await IdsAsync(new CandidateFilter { EntityText = "HONOL" }));
        Assert.Empty(await IdsAsync(new CandidateFilter { EntityText = "%" }));

        var page = await Search.PageAsync(data.ProjectId, data.ModelVersionId, new CandidateFilter(), 1, 1, count: true);
        var row = Assert.Single(page.Rows);
        Assert.Equal(3, page.MatchCount);
        Assert.Equal(data.CandidateIds[1], row.Id);
        Assert.Equal(["Obama", "was", "born", "in", "Honolulu"], row.Tokens);
        Assert.Equal((0, 1, 4, 5), (row.HeadStart, row.HeadEnd, row.TailStart, row.TailEnd));
        Assert.Equal(("Barack Obama", "Honolulu"), (row.HeadName, row.TailName));
        Assert.Equal([data.BornInId], row.DistantLabels);
        Assert.Equal(data.NaId, row.Prediction!.RelationTypeId);
    }

    [Fact]
    public async Task Setting_the_active_model_is_audited_and_refuses_other_projects_versions()
    {
        var data = await SeedAsync("Activation project");
        var other = await SeedAsync("Other activation project");
        var actor = await AdminAsync();
        await using (var db = await DbAsync())
        {
            await db.RelationProjects.Where(p => p.Id == data.ProjectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.ActiveModelVersionId, (int?)null));
        }

        Assert.Empty(await Queries.SetActiveModelAsync(data.ProjectId, data.ModelVersionId, actor));
        Assert.Equal(["That model version does not belong to this project."], await Queries.SetActiveModelAsync(data.ProjectId, other.ModelVersionId, actor));

        Assert.Equal(data.ModelVersionId, (await Queries.FindProjectAsync(data.ProjectId))!.ActiveModelVersionId);
        await using var check = await DbAsync();
        var record = await check.AuditRecords.SingleAsync(r => r.Action == "relations.model-activated" && r.EntityId == data.ProjectId.ToString(CultureInfo.InvariantCulture));
        Assert.Contains(data.ModelVersionId.ToString(CultureInfo.InvariantCulture), record.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_render_a_project_with_data()
    {
        var data = await SeedAsync("Rendered project");
        var client = await app.ClientAsync("expert@demo.local");

        var overview = await client.GetStringAsync($"/relations/{data.ProjectId}");
        var models = await client.GetStringAsync($"/relations/{data.ProjectId}/models?version=1");
        var list = await client.GetStringAsync("/relations");
        var compare = await client.GetAsync($"/relations/{data.ProjectId}/models/compare?a=1&b=1");
        var candidates = await client.GetAsync($"/relations/{data.ProjectId}/candidates");

        Assert.Contains("relation-statistics", overview, StringComparison.Ordinal);
        Assert.Contains("born in", overview, StringComparison.Ordinal);
        Assert.Contains("data-job-run", overview, StringComparison.Ordinal);
        Assert.Contains("data-model-version=\"1\"", models, StringComparison.Ordinal);
        Assert.Contains("id=\"pr-curve\"", models, StringComparison.Ordinal);
        Assert.Contains("warm-started from v7", models, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"start-training\"", models, StringComparison.Ordinal); // experts see, admins train
        Assert.DoesNotContain("id=\"labelling-settings\"", overview, StringComparison.Ordinal);
        var curves = await client.GetStringAsync($"/relations/{data.ProjectId}/learning-curves");
        Assert.Contains("No simulation yet", curves, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"start-simulation\"", curves, StringComparison.Ordinal);
        Assert.Contains("Rendered project", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, compare.StatusCode);
        Assert.Equal(HttpStatusCode.OK, candidates.StatusCode);

        var admin = await app.ClientAsync("admin@demo.local");
        var adminModels = await admin.GetStringAsync($"/relations/{data.ProjectId}/models");
        Assert.Contains("id=\"start-training\"", adminModels, StringComparison.Ordinal);
        Assert.Contains("Warm start from the active version", adminModels, StringComparison.Ordinal);
        Assert.Contains("id=\"labelling-settings\"", await admin.GetStringAsync($"/relations/{data.ProjectId}"), StringComparison.Ordinal);
        Assert.Contains("id=\"start-simulation\"", await admin.GetStringAsync($"/relations/{data.ProjectId}/learning-curves"), StringComparison.Ordinal);
        Assert.Contains("id=\"import-file\"", await admin.GetStringAsync($"/relations/{data.ProjectId}/import"), StringComparison.Ordinal);
    }

    private sealed record Seeded(int ProjectId, int NaId, int BornInId, long[] CandidateIds, int ModelVersionId, Guid JobRunId);

    /// <summary>One positive bag (2 candidates, train, one gold) and one NA bag (1 candidate, test), a model version and an import run.</summary>
    private async Task<Seeded> SeedAsync(string name)
    {
        var created = await Queries.CreateProjectAsync(name, "", 1, await AdminAsync());
        var projectId = created.ProjectId!.Value;
        await using var db = await DbAsync();
        var na = await db.RelationTypes.SingleAsync(r => r.ProjectId == projectId && r.IsNa);
        var bornIn = new RelationType { ProjectId = projectId, Key = "born_in", Name = "born in", Description = "Head was born in tail.", Index = 1 };
        db.RelationTypes.Add(bornIn);
        var obama = new KbEntity { ProjectId = projectId, KbId = "Q76", Name = "Barack Obama" };
        var honolulu = new KbEntity { ProjectId = projectId, KbId = "Q18094", Name = "Honolulu" };
        var chicago = new KbEntity { ProjectId = projectId, KbId = "Q1297", Name = "Chicago" };
        db.KbEntities.AddRange(obama, honolulu, chicago);
        var document = new Document { ProjectId = projectId, Title = "d" };
        db.Documents.Add(document);
        await db.SaveChangesAsync();
        db.KbFacts.Add(new KbFact { ProjectId = projectId, HeadEntityId = obama.Id, RelationTypeId = bornIn.Id, TailEntityId = honolulu.Id });
        var positive = new Bag { ProjectId = projectId, HeadEntityId = obama.Id, TailEntityId = honolulu.Id, Split = DataSplit.Train, CandidateCount = 2 };
        var negative = new Bag { ProjectId = projectId, HeadEntityId = obama.Id, TailEntityId = chicago.Id, Split = DataSplit.Test, CandidateCount = 1 };
        db.Bags.AddRange(positive, negative);
        await db.SaveChangesAsync();
        db.DistantLabels.AddRange(new DistantLabel { BagId = positive.Id, RelationTypeId = bornIn.Id }, new DistantLabel { BagId = negative.Id, RelationTypeId = na.Id });

        var candidates = new List<Candidate>();
        foreach (var (tokens, tail, bag) in new[]
        {
            (new[] { "Obama", "was", "born", "in", "Honolulu" }, honolulu, positive),
            (new[] { "Obama", "was", "born", "in", "Honolulu" }, honolulu, positive),
            (new[] { "Obama", "lived", "in", "Chicago" }, chicago, negative),
        })
        {
            var sentence = new Sentence { ProjectId = projectId, DocumentId = document.Id, Tokens = tokens };
            db.Sentences.Add(sentence);
            await db.SaveChangesAsync();
            var head = new EntityMention { SentenceId = sentence.Id, EntityId = obama.Id, Start = 0, End = 1 };
            var tailMention = new EntityMention { SentenceId = sentence.Id, EntityId = tail.Id, Start = tokens.Length - 1, End = tokens.Length };
            db.EntityMentions.AddRange(head, tailMention);
            await db.SaveChangesAsync();
            var candidate = new Candidate { ProjectId = projectId, SentenceId = sentence.Id, HeadMentionId = head.Id, TailMentionId = tailMention.Id, BagId = bag.Id };
            db.Candidates.Add(candidate);
            await db.SaveChangesAsync();
            candidates.Add(candidate);
        }
        db.GoldLabels.Add(new GoldLabel { CandidateId = candidates[0].Id, RelationTypeId = bornIn.Id });

        var evaluation = new ModelEvaluation(
            new HeldOutEvaluation(0.4, 0.8, 0.7, 0.6, 0.5, 0.3, 10, [new PrPoint(0.1, 0.9), new PrPoint(0.5, 0.5)],
                [new RelationScore("born in", 0.5, 0.5, 0.5, 3)]),
            new SentenceEvaluation(0.6, 0.5, 0.55, 3, []), [new EpochRecord(1, 0.9, 0.3, 1), new EpochRecord(2, 0.5, 0.4, 1)], 2);
        var version = new ModelVersion
        {
            ProjectId = projectId,
            Number = 1,
            Architecture = "pcnn",
            Hyperparameters = "{\"aggregation\":\"att\",\"warmStartedFromVersion\":7}",
            Metrics = JsonSerializer.Serialize(evaluation, JobJson.Options),
            HeldOutAuc = 0.4,
            GoldF1 = 0.55,
            Device = "cpu",
            CreatedAt = DateTime.UtcNow,
            CreatedByName = "test",
        };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync();
        db.Predictions.AddRange(
            new Prediction { ModelVersionId = version.Id, CandidateId = candidates[0].Id, TopRelationTypeId = bornIn.Id, Confidence = 0.9f, Probabilities = [0.1f, 0.9f] },
            new Prediction { ModelVersionId = version.Id, CandidateId = candidates[1].Id, TopRelationTypeId = na.Id, Confidence = 0.6f, Probabilities = [0.6f, 0.4f] },
            new Prediction { ModelVersionId = version.Id, CandidateId = candidates[2].Id, TopRelationTypeId = na.Id, Confidence = 0.7f, Probabilities = [0.7f, 0.3f] });
        var run = new JobRun
        {
            Id = Guid.CreateVersion7(),
            Kind = JobKinds.RelationImport,
            Status = JobRunStatus.Failed,
            CreatedAt = DateTime.UtcNow,
            Parameters = JsonSerializer.Serialize(new RelationImportParameters(projectId, RelationImportFormat.OpenNre, Guid.NewGuid(), "x.jsonl"), JobJson.Options),
            Error = "x.jsonl, line 3: bad JSON",
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        await db.RelationProjects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.ActiveModelVersionId, version.Id));
        return new Seeded(projectId, na.Id, bornIn.Id, candidates.Select(c => c.Id).ToArray(), version.Id, run.Id);
    }
}

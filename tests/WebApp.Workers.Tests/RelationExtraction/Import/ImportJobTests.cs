using System.Text;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain.RelationExtraction;
using WebApp.Domain.Training;
using WebApp.Workers.RelationExtraction.Import;

namespace WebApp.Workers.Tests.RelationExtraction.Import;

public sealed class ImportJobTests : ImportHarness
{
    private const string Kb = """
        head_id	head_name	relation	tail_id	tail_name
        Q1	Barack Obama	spouse	Q2	Michelle Obama
        Q1	Barack Obama	knows	Q2	Michelle Obama
        Q1	Barack Obama	spouse	Q2	Michelle Obama
        Q4	Hawaii	contains	Q3	Honolulu
        """;

    private const string Aliases = """
        Q1	Obama
        Q3	HNL
        """;

    private const string Corpus = """
        The Obamas.
        Barack Obama married Michelle Obama in 1992. Obama was born in Honolulu, Hawaii.

        A second document. HNL is an airport code; nobody else is here.
        Michelle Obama visited HNL.
        """;

    [Fact]
    public async Task Relations_tsv_creates_and_updates_relation_types_and_keeps_NA_at_index_0()
    {
        var run = await ImportAsync(RelationImportFormat.Relations, "relations.tsv", """
            relation	name	description
            NA	no relation	ignored
            P26	spouse	The subject has the object as spouse.
            P131	located in
            """);
        AssertSucceeded(run);

        await using var db = Db();
        var relations = await db.RelationTypes.Where(r => r.ProjectId == ProjectId).OrderBy(r => r.Index).ToListAsync();
        Assert.Equal(["NA", "P26", "P131"], relations.Select(r => r.Key));
        Assert.Equal([0, 1, 2], relations.Select(r => r.Index));
        Assert.True(relations[0].IsNa);
        Assert.Equal("spouse", relations[1].Name);
        Assert.Equal("The subject has the object as spouse.", relations[1].Description);
        Assert.Equal("located in", relations[2].Name);
    }

    [Fact]
    public async Task Knowledge_base_tsv_with_aliases_creates_entities_facts_and_relations_and_skips_duplicates()
    {
        var run = await ImportAsync(RelationImportFormat.KnowledgeBase, "kb.tsv", Kb, "aliases.tsv", Aliases);
        AssertSucceeded(run);

        await using var db = Db();
        Assert.Equal(4, await db.KbEntities.CountAsync(e => e.ProjectId == ProjectId));
        Assert.Equal(3, await db.KbFacts.CountAsync(f => f.ProjectId == ProjectId));
        Assert.Equal(["NA", "spouse", "knows", "contains"],
            await db.RelationTypes.Where(r => r.ProjectId == ProjectId).OrderBy(r => r.Index).Select(r => r.Key).ToListAsync());
        Assert.Equal(["hnl", "obama"], await db.EntityAliases.OrderBy(a => a.Alias).Select(a => a.Alias).ToListAsync());
        Assert.Equal(3, Metric(run, "facts"));
        Assert.Equal(1, Metric(run, "skippedDuplicates"));
        Assert.Equal(7, Metric(run, "lines"));
    }

    [Fact]
    public async Task Knowledge_base_csv_follows_rfc_4180_quoting()
    {
        var run = await ImportAsync(RelationImportFormat.KnowledgeBase, "kb.csv",
            "head,head name,relation,tail,tail name\r\n"
            + "Q1,\"Obama, Barack\",spouse,Q2,\"Michelle \"\"Miche\"\" Obama\"\r\n"
            + "Q5,\"Two\nLines\",spouse,Q2,Michelle Obama\r\n");
        AssertSucceeded(run);

        await using var db = Db();
        var names = await db.KbEntities.OrderBy(e => e.KbId).Select(e => e.Name).ToListAsync();
        Assert.Equal(["Obama, Barack", "Michelle \"Miche\" Obama", "Two\nLines"], names);
        Assert.Equal(2, await db.KbFacts.CountAsync());
    }

    [Fact]
    public async Task A_bad_line_fails_the_run_with_file_line_and_reason_and_writes_nothing()
    {
        AssertSucceeded(await ImportAsync(RelationImportFormat.KnowledgeBase, "kb.tsv", Kb));
        var before = await CountsAsync();

        var run = await ImportAsync(RelationImportFormat.KnowledgeBase, "kb2.tsv", "Q7\tA\tnew_relation\tQ8\tB\nQ9\tC\tknows\tQ10\n");

        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal("kb2.tsv line 2: expected 5 tab-separated fields, found 4", run.Error);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_alias_of_an_unknown_entity_is_an_error_with_its_line()
    {
        var before = await CountsAsync();
        var run = await ImportAsync(RelationImportFormat.KnowledgeBase, "kb.tsv", Kb, "aliases.tsv", "Q1\tObama\n\nQ99\tNobody\n");

        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal("aliases.tsv line 3: unknown entity id 'Q99'", run.Error);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Corpus_end_to_end_finds_mentions_makes_candidates_in_bags_and_labels_them_by_distant_supervision()
    {
        AssertSucceeded(await ImportAsync(RelationImportFormat.KnowledgeBase, "kb.tsv", Kb, "aliases.tsv", Aliases));

        var run = await ImportAsync(RelationImportFormat.Corpus, "corpus.txt", Corpus);
        AssertSucceeded(run);

        await using var db = Db();
        Assert.Equal(2, await db.Documents.CountAsync());
        // Sentences with two different entities: "Barack Obama married Michelle Obama…", "Obama was born in Honolulu, Hawaii.",
        // "Michelle Obama visited HNL."
        var sentences = await db.Sentences.OrderBy(s => s.Id).ToListAsync();
        Assert.Equal(3, sentences.Count);
        Assert.Equal(["Barack", "Obama", "married", "Michelle", "Obama", "in", "1992", "."], sentences[0].Tokens);
        Assert.Equal(1, sentences[0].Index);
        // 2 + 6 (three entities) + 2 ordered pairs.
        Assert.Equal(10, await db.Candidates.CountAsync());
        Assert.Equal(7, await db.EntityMentions.CountAsync()); // 2 + 3 + 2
        Assert.Equal(
        [
            "Q1>Q2:knows", "Q1>Q2:spouse", "Q1>Q3:NA", "Q1>Q4:NA", "Q2>Q1:NA", "Q2>Q3:NA", "Q3>Q1:NA", "Q3>Q2:NA",
            "Q3>Q4:NA", "Q4>Q1:NA", "Q4>Q3:contains",
        ], await DistantLabelsAsync());
        var bags = await db.Bags.ToListAsync();
        Assert.Equal(10, bags.Sum(b => b.CandidateCount));
        var kbIds = await db.KbEntities.ToDictionaryAsync(e => e.Id, e => e.KbId);
        Assert.All(bags, b => Assert.Equal(BagSplits.For(kbIds[b.HeadEntityId], kbIds[b.TailEntityId]), b.Split));
        Assert.Equal(0, await db.GoldLabels.CountAsync());

        var statistics = await RelationStatistics.ForProjectAsync(db, ProjectId, CancellationToken.None);
        Assert.Equal(10, statistics.Candidates);
        Assert.Equal(10, statistics.Bags);
        Assert.Equal(8, statistics.NaBags);
        Assert.Equal(0.8, statistics.NaBagShare, 3);
        Assert.Equal(0.8, statistics.NaCandidateShare, 3);
        var spouse = statistics.Relations.Single(r => r.Key == "spouse");
        Assert.Equal((1L, 1L, 1L, 0L), (spouse.Facts, spouse.Bags, spouse.Candidates, spouse.GoldCandidates));
        Assert.Equal(10, statistics.Splits.Sum(s => s.Bags));
        Assert.Equal(3, statistics.Splits.Count);

        var record = await db.AuditRecords.OrderBy(r => r.Id).LastAsync();
        Assert.Equal("relations.imported", record.Action);
        Assert.Equal(nameof(RelationProject), record.EntityType);
        Assert.Equal(10, Metric(run, "candidates"));
    }

    [Fact]
    public async Task Corpus_jsonl_documents_keep_id_and_title()
    {
        AssertSucceeded(await ImportAsync(RelationImportFormat.KnowledgeBase, "kb.tsv", Kb));
        var run = await ImportAsync(RelationImportFormat.Corpus, "corpus.jsonl", """
            {"id": 17, "title": "Obama", "text": "Barack Obama married Michelle Obama."}
            {"id": "d2", "text": "Honolulu is in Hawaii. Nothing here."}
            """);
        AssertSucceeded(run);

        await using var db = Db();
        Assert.Equal([("17", "Obama"), ("d2", "d2")],
            (await db.Documents.OrderBy(d => d.Id).ToListAsync()).Select(d => (d.ExternalId, d.Title)));
        Assert.Equal(4, await db.Candidates.CountAsync());
    }

    [Fact]
    public async Task Corpus_with_bad_json_is_rejected_with_its_line()
    {
        AssertSucceeded(await ImportAsync(RelationImportFormat.KnowledgeBase, "kb.tsv", Kb));
        var before = await CountsAsync();
        var run = await ImportAsync(RelationImportFormat.Corpus, "corpus.jsonl",
            "{\"id\": 1, \"text\": \"Barack Obama married Michelle Obama.\"}\n{\"id\": 2, \"txt\": \"x\"}\n");
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal("corpus.jsonl line 2: expected a string \"text\"", run.Error);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task OpenNre_jsonl_stores_candidates_gold_labels_apart_and_shares_identical_sentences_and_mentions()
    {
        var run = await ImportAsync(RelationImportFormat.OpenNre, "train.txt", """
            {"token": ["Bill", "Gates", "founded", "Microsoft", "."], "h": {"name": "bill gates", "id": "Q5284", "pos": [0, 2]}, "t": {"name": "microsoft", "id": "Q2283", "pos": [3, 4]}, "relation": "founded by", "id": "c1"}
            {"token": ["Bill", "Gates", "founded", "Microsoft", "."], "h": {"name": "microsoft", "id": "Q2283", "pos": [3, 4]}, "t": {"name": "bill gates", "id": "Q5284", "pos": [0, 2]}, "relation": "NA"}
            {"text": "Paris is the capital of France.", "h": {"name": "Paris", "id": "Q90", "pos": [0, 5]}, "t": {"name": "France", "id": "Q142", "pos": [24, 30]}, "relation": "capital of"}
            {"text": "Paris is the capital of France.", "h": {"name": "France", "id": "Q142", "pos": [24, 30]}, "t": {"name": "Paris", "id": "Q90", "pos": [0, 5]}, "relation": "no_relation"}
            """);
        AssertSucceeded(run);

        await using var db = Db();
        Assert.Equal(2, await db.Sentences.CountAsync());
        Assert.Equal(4, await db.EntityMentions.CountAsync());
        var candidates = await db.Candidates.OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(4, candidates.Count);
        Assert.Equal("c1", candidates[0].ExternalId);
        var paris = await db.EntityMentions.SingleAsync(m => m.Id == candidates[2].HeadMentionId);
        var france = await db.EntityMentions.SingleAsync(m => m.Id == candidates[2].TailMentionId);
        Assert.Equal((0, 1, 5, 6), (paris.Start, paris.End, france.Start, france.End));
        var gold = await (from g in db.GoldLabels
                          join r in db.RelationTypes on g.RelationTypeId equals r.Id
                          orderby g.CandidateId
                          select r.Key).ToListAsync();
        Assert.Equal(["founded by", "NA", "capital of", "NA"], gold);
        // Gold is kept apart: no KB facts, so distant supervision labels every bag NA.
        Assert.Equal(0, await db.KbFacts.CountAsync());
        Assert.All(await DistantLabelsAsync(), l => Assert.EndsWith(":NA", l, StringComparison.Ordinal));
        Assert.Equal(4, (await DistantLabelsAsync()).Count);
    }

    [Fact]
    public async Task A_knowledge_base_imported_later_relabels_existing_bags()
    {
        AssertSucceeded(await ImportAsync(RelationImportFormat.OpenNre, "train.jsonl", """
            {"token": ["Bill", "Gates", "founded", "Microsoft", "."], "h": {"name": "Bill Gates", "id": "Q5284", "pos": [0, 2]}, "t": {"name": "Microsoft", "id": "Q2283", "pos": [3, 4]}, "relation": "P112"}
            """));
        Assert.Equal(["Q5284>Q2283:NA"], await DistantLabelsAsync());

        AssertSucceeded(await ImportAsync(RelationImportFormat.KnowledgeBase, "kb.tsv", "Q5284\tBill Gates\tP112\tQ2283\tMicrosoft\n"));

        Assert.Equal(["Q5284>Q2283:P112"], await DistantLabelsAsync());
        await using var db = Db();
        Assert.Equal(1, await db.RelationTypes.CountAsync(r => r.Key == "P112"));
    }

    [Fact]
    public async Task OpenNre_position_outside_the_tokens_is_an_error()
    {
        var run = await ImportAsync(RelationImportFormat.OpenNre, "bad.jsonl",
            """{"token": ["a", "b"], "h": {"id": "x", "pos": [0, 1]}, "t": {"id": "y", "pos": [1, 3]}}""");
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal("bad.jsonl line 1: \"t.pos\" [1, 3] is outside the 2 tokens", run.Error);
    }

    [Fact]
    public async Task OpenNre_invalid_json_names_its_line_of_the_file_and_no_other()
    {
        const string good = """{"token": ["a", "b"], "h": {"id": "x", "pos": [0, 1]}, "t": {"id": "y", "pos": [1, 2]}}""";
        var run = await ImportAsync(RelationImportFormat.OpenNre, "bad.jsonl",
            good + "\n\n" + good + "\n" + """{"token": ["a", "b"], "h": {"id": "x" "pos": [0, 1]}}""" + "\n" + good + "\n");

        Assert.Equal(JobRunStatus.Failed, run.Status);
        // The parser's own "LineNumber: 0" (it sees one line at a time) used to stand next to the file's line 4.
        Assert.Equal("bad.jsonl line 4: invalid JSON at byte 39 of the line: '\"' is invalid after a value. Expected either ',', '}', or ']'.",
            run.Error);
    }

    [Fact]
    public async Task FewRel_json_gives_spans_from_the_first_occurrence_and_the_relation_as_gold()
    {
        var run = await ImportAsync(RelationImportFormat.FewRel, "fewrel.json", """
            {"P177": [{"tokens": ["The", "Cape", "Girardeau", "Bridge", "crosses", "the", "Mississippi", "River", "."],
                       "h": ["cape girardeau bridge", "Q5034838", [[1, 2, 3]]], "t": ["mississippi river", "Q1497", [[6, 7]]]}],
             "P26": [{"tokens": ["Barack", "Obama", "married", "Michelle", "."],
                      "h": ["barack obama", "Q76", [[0, 1]]], "t": ["michelle", "Q13133", [[3], [3]]]},
                     {"tokens": ["Barack", "Obama", "married", "Michelle", "."],
                      "h": ["michelle", "Q13133", [[3]]], "t": ["barack obama", "Q76", [[0, 1]]]}]}
            """);
        AssertSucceeded(run);

        await using var db = Db();
        Assert.Equal(2, await db.Sentences.CountAsync());
        Assert.Equal(3, await db.Candidates.CountAsync());
        var bridge = await db.EntityMentions.Join(db.KbEntities, m => m.EntityId, e => e.Id, (m, e) => new { m, e })
            .SingleAsync(x => x.e.KbId == "Q5034838");
        Assert.Equal((1, 4, "cape girardeau bridge"), (bridge.m.Start, bridge.m.End, bridge.e.Name));
        var gold = await (from g in db.GoldLabels
                          join r in db.RelationTypes on g.RelationTypeId equals r.Id
                          orderby g.CandidateId
                          select r.Key).ToListAsync();
        Assert.Equal(["P177", "P26", "P26"], gold);
        Assert.Equal(3, Metric(run, "lines"));
    }

    [Fact]
    public async Task FewRel_errors_name_the_line_relation_and_instance()
    {
        var run = await ImportAsync(RelationImportFormat.FewRel, "fewrel.json",
            "{\"P1\": [\n{\"tokens\": [\"a\", \"b\"], \"h\": [\"a\", \"Q1\", [[0]]], \"t\": [\"b\", \"Q2\", [[1]]]},\n"
            + "{\"tokens\": [\"a\", \"b\"], \"h\": [\"a\", \"Q1\", [[0]]], \"t\": [\"b\", \"Q2\", [[5]]]}\n]}");
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal("fewrel.json line 3: relation P1, instance 2: \"t\" token indices are outside the 2 tokens", run.Error);

        var truncated = await ImportAsync(RelationImportFormat.FewRel, "cut.json", "{\"P1\": [{\"tokens\": [\"a\"");
        Assert.Equal(JobRunStatus.Failed, truncated.Status);
        Assert.StartsWith("cut.json line 1:", truncated.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_after_rows_were_copied_still_leaves_nothing_behind()
    {
        var before = await CountsAsync();
        var content = new StringBuilder();
        for (var i = 0; i < 12_000; i++)
        {
            content.Append("{\"token\": [\"e").Append(i).Append("\", \"and\", \"f").Append(i)
                .Append("\"], \"h\": {\"id\": \"E").Append(i).Append("\", \"pos\": [0, 1]}, \"t\": {\"id\": \"F").Append(i)
                .Append("\", \"pos\": [2, 3]}, \"relation\": \"r").Append(i % 3).Append("\"}\n");
        }
        content.Append("{\"token\": []}\n");

        var run = await ImportAsync(RelationImportFormat.OpenNre, "big.jsonl", content.ToString());

        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal("big.jsonl line 12001: the sentence has no tokens", run.Error);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Running_a_succeeded_import_again_changes_nothing()
    {
        AssertSucceeded(await ImportAsync(RelationImportFormat.KnowledgeBase, "kb.tsv", Kb));
        var file = await UploadAsync("corpus.txt", Corpus);
        var id = await QueueAsync(RelationImportFormat.Corpus, file);
        await CreateJob().RunAsync(id, CancellationToken.None);
        AssertSucceeded(await RunAsync(id));
        var after = await CountsAsync();

        await CreateJob().RunAsync(id, CancellationToken.None);

        Assert.Equal(after, await CountsAsync());
        Assert.Equal(1, (await RunAsync(id)).Attempts);
    }

    [Fact]
    public async Task Concurrent_imports_of_one_project_are_serialised_and_both_succeed()
    {
        var first = await QueueAsync(RelationImportFormat.KnowledgeBase, await UploadAsync("a.tsv", Kb));
        var second = await QueueAsync(RelationImportFormat.KnowledgeBase, await UploadAsync("b.tsv", Kb.Replace("Q4\tHawaii", "Q5\tMaui", StringComparison.Ordinal)));

        await Task.WhenAll(CreateJob().RunAsync(first, CancellationToken.None), CreateJob().RunAsync(second, CancellationToken.None));

        AssertSucceeded(await RunAsync(first));
        AssertSucceeded(await RunAsync(second));
        await using var db = Db();
        Assert.Equal(5, await db.KbEntities.CountAsync());
        Assert.Equal(4, await db.KbFacts.CountAsync());
        Assert.Equal(4, await db.RelationTypes.CountAsync());
    }

    [Fact]
    public async Task A_missing_project_fails_without_retry()
    {
        var file = await UploadAsync("kb.tsv", Kb);
        var id = await QueueAsync(RelationImportFormat.KnowledgeBase, file, projectId: 999);
        await CreateJob().RunAsync(id, CancellationToken.None);
        var run = await RunAsync(id);
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal("kb.tsv: relation project 999 does not exist", run.Error);
    }

    [Fact]
    public async Task A_cancelled_import_is_marked_failed_rethrown_and_leaves_nothing()
    {
        var before = await CountsAsync();
        var file = await UploadAsync("kb.tsv", Kb);
        var id = await QueueAsync(RelationImportFormat.KnowledgeBase, file);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CreateJob().RunAsync(id, cancel.Token));
        Assert.Equal(before, await CountsAsync());
    }
}

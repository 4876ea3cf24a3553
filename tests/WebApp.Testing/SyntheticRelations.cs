using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.RelationExtraction;

namespace WebApp.Testing;

/// <summary>
/// A small relation-extraction dataset a PCNN learns in a few epochs: the words between the entities tell the
/// relation ("was born in" → born_in, "works for" → works_for, "met" → no fact, NA). Written as the files a
/// user would import: a knowledge base (kb.tsv) and OpenNRE sentences (sentences.jsonl, gold in "relation").
/// </summary>
public static class SyntheticRelations
{
    private static readonly (string Relation, string[] Words)[] Patterns =
    [
        ("born_in", ["was", "born", "in"]), ("works_for", ["works", "for"]), ("NA", ["met"]),
    ];

    public static void WriteFiles(string directory, int pairs = 90)
    {
        Directory.CreateDirectory(directory);
        using var kb = new StreamWriter(Path.Combine(directory, "kb.tsv"));
        using var sentences = new StreamWriter(Path.Combine(directory, "sentences.jsonl"));
        kb.WriteLine("head_id\thead_name\trelation\ttail_id\ttail_name");
        for (var pair = 0; pair < pairs; pair++)
        {
            var (relation, words) = Patterns[pair % Patterns.Length];
            var (head, tail) = ($"person{pair}", $"thing{pair}");
            if (relation != "NA") kb.WriteLine($"H{pair}\t{head}\t{relation}\tT{pair}\t{tail}");
            foreach (var prefix in new[] { new[] { "Yesterday", "," }, new[] { "We", "heard", "that" } })
            {
                string[] tokens = [.. prefix, head, .. words, tail, "."];
                var headStart = prefix.Length;
                var tailStart = headStart + 1 + words.Length;
                sentences.WriteLine(JsonSerializer.Serialize(new
                {
                    token = tokens,
                    h = new { name = head, id = $"H{pair}", pos = new[] { headStart, headStart + 1 } },
                    t = new { name = tail, id = $"T{pair}", pos = new[] { tailStart, tailStart + 1 } },
                    relation,
                }));
            }
        }
    }

    /// <summary>
    /// The same kind of data written straight into a new project (no importer involved), with its knowledge
    /// base, bags, distant labels and a gold label on a third of the candidates.
    /// </summary>
    public static async Task<int> SeedAsync(AppDbContext db, string name = "synthetic", int pairs = 90)
    {
        var project = await RelationProjects.CreateAsync(db, name, "", "test", CancellationToken.None);
        var bornIn = new RelationType { ProjectId = project.Id, Key = "born_in", Name = "born in", Index = 1 };
        var worksFor = new RelationType { ProjectId = project.Id, Key = "works_for", Name = "works for", Index = 2 };
        db.RelationTypes.AddRange(bornIn, worksFor);
        var document = new Document { ProjectId = project.Id, Title = "synthetic" };
        db.Documents.Add(document);
        await db.SaveChangesAsync();
        var na = await db.RelationTypes.SingleAsync(r => r.ProjectId == project.Id && r.IsNa);

        var patterns = new (RelationType Relation, string[] Words)[]
        {
            (bornIn, ["was", "born", "in"]), (worksFor, ["works", "for"]), (na, ["met"]),
        };
        var sentenceIndex = 0;
        for (var pair = 0; pair < pairs; pair++)
        {
            var (relation, words) = patterns[pair % 3];
            var head = new KbEntity { ProjectId = project.Id, KbId = $"H{pair}", Name = $"person{pair}" };
            var tail = new KbEntity { ProjectId = project.Id, KbId = $"T{pair}", Name = $"thing{pair}" };
            db.KbEntities.AddRange(head, tail);
            await db.SaveChangesAsync();
            if (!relation.IsNa) db.KbFacts.Add(new KbFact { ProjectId = project.Id, HeadEntityId = head.Id, TailEntityId = tail.Id, RelationTypeId = relation.Id });
            var bag = new Bag { ProjectId = project.Id, HeadEntityId = head.Id, TailEntityId = tail.Id, Split = BagSplits.For(head.KbId, tail.KbId), CandidateCount = 2 };
            db.Bags.Add(bag);
            await db.SaveChangesAsync();
            db.DistantLabels.Add(new DistantLabel { BagId = bag.Id, RelationTypeId = relation.Id });
            for (var copy = 0; copy < 2; copy++)
            {
                string[] tokens = [.. (copy == 0 ? new[] { "Yesterday", "," } : new[] { "We", "heard", "that" }), head.Name, .. words, tail.Name, "."];
                var headStart = Array.IndexOf(tokens, head.Name);
                var tailStart = Array.IndexOf(tokens, tail.Name);
                var sentence = new Sentence { ProjectId = project.Id, DocumentId = document.Id, Index = sentenceIndex++, Tokens = tokens };
                db.Sentences.Add(sentence);
                await db.SaveChangesAsync();
                var headMention = new EntityMention { SentenceId = sentence.Id, EntityId = head.Id, Start = headStart, End = headStart + 1 };
                var tailMention = new EntityMention { SentenceId = sentence.Id, EntityId = tail.Id, Start = tailStart, End = tailStart + 1 };
                db.EntityMentions.AddRange(headMention, tailMention);
                await db.SaveChangesAsync();
                var candidate = new Candidate { ProjectId = project.Id, SentenceId = sentence.Id, HeadMentionId = headMention.Id, TailMentionId = tailMention.Id, BagId = bag.Id };
                db.Candidates.Add(candidate);
                await db.SaveChangesAsync();
                if (sentenceIndex % 3 == 0) db.GoldLabels.Add(new GoldLabel { CandidateId = candidate.Id, RelationTypeId = relation.Id });
            }
        }
        await db.SaveChangesAsync();
        return project.Id;
    }

}

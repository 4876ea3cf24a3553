using WebApp.Domain;
using WebApp.Domain.RelationExtraction;

namespace WebApp.IntegrationTests;

/// <summary>A small labelling project: relations NA and born_in, one bag (Ada, London), its candidates' ids.</summary>
public sealed record LabelingProject(int ProjectId, int NaId, int BornInId, long[] CandidateIds)
{
    private static int _projects;

    /// <summary>One bag (Ada, London) labelled born_in with <paramref name="candidates"/> sentences and, optionally, a model's predictions.</summary>
    public static async Task<LabelingProject> SeedAsync(AppDbContext db, int candidates, int overlap, float[]? margins = null, bool withModel = true)
    {
        var project = new RelationProject
        {
            Name = $"Labelling {Interlocked.Increment(ref _projects)} {Guid.NewGuid():N}",
            LabelOverlap = overlap,
            CreatedAt = DateTime.UtcNow,
        };
        db.RelationProjects.Add(project);
        await db.SaveChangesAsync();
        var na = new RelationType { ProjectId = project.Id, Key = RelationType.NaKey, Name = "no relation", IsNa = true, Index = 0 };
        var bornIn = new RelationType { ProjectId = project.Id, Key = "born_in", Name = "born in", Description = "Head was born in tail.", Index = 1 };
        var ada = new KbEntity { ProjectId = project.Id, KbId = "Q7259", Name = "Ada" };
        var london = new KbEntity { ProjectId = project.Id, KbId = "Q84", Name = "London" };
        var document = new Document { ProjectId = project.Id, Title = "d" };
        db.AddRange(na, bornIn, ada, london, document);
        await db.SaveChangesAsync();
        var bag = new Bag { ProjectId = project.Id, HeadEntityId = ada.Id, TailEntityId = london.Id, CandidateCount = candidates };
        db.Bags.Add(bag);
        await db.SaveChangesAsync();
        db.DistantLabels.Add(new DistantLabel { BagId = bag.Id, RelationTypeId = bornIn.Id });
        var ids = new List<long>();
        for (var i = 0; i < candidates; i++)
        {
            var sentence = new Sentence { ProjectId = project.Id, DocumentId = document.Id, Index = i, Tokens = ["Ada", "was", "born", "in", "London", "."] };
            db.Sentences.Add(sentence);
            await db.SaveChangesAsync();
            var head = new EntityMention { SentenceId = sentence.Id, EntityId = ada.Id, Start = 0, End = 1 };
            var tail = new EntityMention { SentenceId = sentence.Id, EntityId = london.Id, Start = 4, End = 5 };
            db.EntityMentions.AddRange(head, tail);
            await db.SaveChangesAsync();
            var candidate = new Candidate { ProjectId = project.Id, SentenceId = sentence.Id, HeadMentionId = head.Id, TailMentionId = tail.Id, BagId = bag.Id };
            db.Candidates.Add(candidate);
            await db.SaveChangesAsync();
            ids.Add(candidate.Id);
        }
        if (withModel)
        {
            var version = new ModelVersion { ProjectId = project.Id, Number = 1, Architecture = "pcnn", CreatedAt = DateTime.UtcNow };
            db.ModelVersions.Add(version);
            await db.SaveChangesAsync();
            for (var i = 0; i < ids.Count; i++)
            {
                var margin = margins?[i] ?? 0.5f;
                db.Predictions.Add(new Prediction
                {
                    ModelVersionId = version.Id,
                    CandidateId = ids[i],
                    TopRelationTypeId = bornIn.Id,
                    Confidence = (1 + margin) / 2,
                    Margin = margin,
                    Probabilities = [(1 - margin) / 2, (1 + margin) / 2],
                });
            }
            project.ActiveModelVersionId = version.Id;
            await db.SaveChangesAsync();
        }
        return new LabelingProject(project.Id, na.Id, bornIn.Id, [.. ids]);
    }
}

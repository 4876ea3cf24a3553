using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.RelationExtraction;

namespace WebApp.Workers.RelationExtraction.Training;

/// <summary>
/// A project's candidates as the model sees them. Training and dev use the distant labels (one example per
/// label of the bag's pair, NA bags sampled), except where an expert has labelled the sentence: the expert's
/// label replaces the distant ones and weighs more. Test keeps every bag for the held-out evaluation against
/// the knowledge base; on test, expert labels only stand in for gold where the dataset has none. A dataset's
/// gold labels are only read for the sentence-level evaluation, never for training.
/// </summary>
public sealed class RelationTrainingData
{
    private RelationTrainingData(RelationCorpus corpus, IReadOnlyList<RelationType> relations,
        IReadOnlyList<RelationExample> all, IReadOnlyDictionary<long, int> testGold, IReadOnlySet<long> expertLabelled, object snapshot)
    {
        Corpus = corpus;
        ExpertLabelled = expertLabelled;
        Relations = relations;
        AllCandidates = all;
        TestGold = testGold;
        Snapshot = snapshot;
    }

    public RelationCorpus Corpus { get; }
    /// <summary>The project's relation types by model index.</summary>
    public IReadOnlyList<RelationType> Relations { get; }
    /// <summary>Every candidate once (label unused), for scoring.</summary>
    public IReadOnlyList<RelationExample> AllCandidates { get; }
    /// <summary>Gold relation index per test candidate id, where the dataset has gold.</summary>
    public IReadOnlyDictionary<long, int> TestGold { get; }
    /// <summary>Ids of the training and dev candidates whose label (and weight) comes from the experts, not distant supervision.</summary>
    public IReadOnlySet<long> ExpertLabelled { get; }
    /// <summary>Counts that describe what the model was trained on.</summary>
    public object Snapshot { get; }

    public static Task<RelationTrainingData> LoadAsync(AppDbContext db, int projectId, double naSamplingRatio, int seed,
        CancellationToken ct) =>
        LoadAsync(db, projectId, naSamplingRatio, seed, new RelationTrainingParameters(projectId).ExpertLabelWeight, ct);

    public static Task<RelationTrainingData> LoadAsync(AppDbContext db, int projectId, double naSamplingRatio, int seed,
        double expertLabelWeight, CancellationToken ct) =>
        LoadAsync(db, projectId, naSamplingRatio, seed, expertLabelWeight, expertLabelsInTraining: true, ct);

    /// <param name="expertLabelsInTraining">
    /// False: the label-free twin — training and dev use the distant labels only, while test (and its gold) stays the
    /// same, so a model trained on it and one trained with the expert labels are measured on the same sentences.
    /// </param>
    public static async Task<RelationTrainingData> LoadAsync(AppDbContext db, int projectId, double naSamplingRatio, int seed,
        double expertLabelWeight, bool expertLabelsInTraining, CancellationToken ct)
    {
        var relations = await db.RelationTypes.AsNoTracking().Where(r => r.ProjectId == projectId)
            .OrderBy(r => r.Index).ToListAsync(ct);
        if (relations.Count == 0 || !relations[0].IsNa)
        {
            throw new InvalidOperationException($"Project {projectId} has no NA relation at index 0.");
        }
        var indexOf = relations.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);

        var labels = (await db.DistantLabels.AsNoTracking()
                .Join(db.Bags.Where(b => b.ProjectId == projectId), l => l.BagId, b => b.Id, (l, b) => new { l.BagId, l.RelationTypeId })
                .ToListAsync(ct))
            .GroupBy(l => l.BagId)
            .ToDictionary(g => g.Key, g => g.Select(l => indexOf[l.RelationTypeId]).Order().ToArray());

        var rows = await (
            from c in db.Candidates.AsNoTracking().Where(c => c.ProjectId == projectId)
            join s in db.Sentences on c.SentenceId equals s.Id
            join h in db.EntityMentions on c.HeadMentionId equals h.Id
            join t in db.EntityMentions on c.TailMentionId equals t.Id
            join b in db.Bags on c.BagId equals b.Id
            orderby c.Id
            select new
            {
                c.Id,
                c.SentenceId,
                s.Tokens,
                HeadStart = h.Start,
                HeadEnd = h.End,
                TailStart = t.Start,
                TailEnd = t.End,
                c.BagId,
                b.Split,
                b.HeadEntityId,
                b.TailEntityId,
            }).ToListAsync(ct);

        var gold = await db.GoldLabels.AsNoTracking()
            .Join(db.Candidates.Where(c => c.ProjectId == projectId), g => g.CandidateId, c => c.Id, (g, c) => new { g.CandidateId, g.RelationTypeId })
            .ToDictionaryAsync(g => g.CandidateId, g => indexOf[g.RelationTypeId], ct);

        var expert = (await ExpertLabels.EffectiveAsync(db, projectId, ct))
            .ToDictionary(e => e.Key, e => indexOf[e.Value.RelationTypeId]);

        // NA is the majority class: keep at most ratio × positive training bags of it, chosen by the seed.
        var trainBags = rows.Where(r => r.Split == DataSplit.Train).Select(r => r.BagId).Distinct().ToList();
        var positiveBags = trainBags.Count(b => labels.TryGetValue(b, out var l) && l.Any(i => i != 0));
        var naBags = trainBags.Where(b => !labels.TryGetValue(b, out var l) || l.All(i => i == 0)).Order().ToArray();
        new Random(seed).Shuffle(naBags);
        var keptNa = naBags.Take((int)Math.Min(naBags.Length, Math.Round(naSamplingRatio * positiveBags))).ToHashSet();

        var train = new List<RelationExample>();
        var dev = new List<RelationExample>();
        var test = new List<RelationExample>();
        var all = new List<RelationExample>(rows.Count);
        var testGold = new Dictionary<long, int>();
        var expertLabelled = new HashSet<long>();
        foreach (var row in rows)
        {
            var example = new RelationExample(row.Tokens, row.HeadStart, row.HeadEnd, row.TailStart, row.TailEnd, 0,
                $"{row.HeadEntityId}|{row.TailEntityId}", 1, row.Id);
            all.Add(example);
            if (row.Split == DataSplit.Test)
            {
                foreach (var label in labels.TryGetValue(row.BagId, out var t) ? t : [0]) test.Add(example with { Label = label });
                if (gold.TryGetValue(row.Id, out var g) || expert.TryGetValue(row.Id, out g)) testGold[row.Id] = g;
                continue;
            }
            var target = row.Split == DataSplit.Train ? train : dev;
            if (expertLabelsInTraining && expert.TryGetValue(row.Id, out var verdict))
            {
                target.Add(example with { Label = verdict, Weight = (float)expertLabelWeight });
                expertLabelled.Add(row.Id);
                continue;
            }
            var bagLabels = labels.TryGetValue(row.BagId, out var l) ? l : [0];
            if (row.Split == DataSplit.Train && bagLabels.All(i => i == 0) && !keptNa.Contains(row.BagId)) continue;
            foreach (var label in bagLabels) target.Add(example with { Label = label });
        }

        var names = relations.Select(r => r.IsNa ? RelationCorpus.NoRelation : r.Key).ToList();
        var snapshot = new
        {
            candidates = rows.Count,
            sentences = rows.Select(r => r.SentenceId).Distinct().Count(),
            bags = rows.Select(r => r.BagId).Distinct().Count(),
            trainExamples = train.Count,
            devExamples = dev.Count,
            testExamples = test.Count,
            naSamplingRatio,
            naTrainBagsKept = keptNa.Count,
            naTrainBagsAvailable = naBags.Length,
            positiveTrainBags = positiveBags,
            goldTestCandidates = testGold.Count,
            expertLabels = expert.Count,
            expertLabelsInTraining = expertLabelsInTraining ? rows.Count(r => r.Split != DataSplit.Test && expert.ContainsKey(r.Id)) : 0,
            expertLabelWeight,
            trainPerRelation = relations.Select((r, i) => new { relation = r.Key, examples = train.Count(e => e.Label == i) }).ToList(),
        };
        return new RelationTrainingData(new RelationCorpus(names, train, dev, test), relations, all, testGold, expertLabelled, snapshot);
    }
}

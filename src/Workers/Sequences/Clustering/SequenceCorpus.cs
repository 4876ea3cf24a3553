using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Sequences;

namespace WebApp.Workers.Sequences.Clustering;

/// <summary>A distinct event sequence of a corpus and how many of the corpus's sequences it stands for.</summary>
/// <param name="Members">Positions in <see cref="SequenceCorpus.Sequences"/> of the sequences equal to it, in corpus order.</param>
public sealed record DistinctSequence(int[] Events, float[] Counts, int[] Members)
{
    public int Weight => Members.Length;
}

/// <summary>
/// The training sequences that a clustering reads, held in memory, with their distinct sequences (the methods fit on
/// those, weighted by multiplicity, so a log with many repeated sessions costs what its variety costs).
/// </summary>
public sealed class SequenceCorpus
{
    private SequenceCorpus(IReadOnlyList<string> eventNames, IReadOnlyList<long> sequenceIds, IReadOnlyList<int[]> sequences)
    {
        EventNames = eventNames;
        SequenceIds = sequenceIds;
        Sequences = sequences;
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < sequences.Count; i++)
        {
            var key = string.Join(' ', sequences[i]);
            if (!groups.TryGetValue(key, out var members))
            {
                groups[key] = members = [];
                order.Add(key);
            }
            members.Add(i);
        }
        Distinct = order.Select(key =>
        {
            var members = groups[key];
            var events = sequences[members[0]];
            return new DistinctSequence(events, ClusterQuality.EventCounts(events, eventNames.Count), [.. members]);
        }).ToList();
    }

    /// <summary>Display name of each event type, by index.</summary>
    public IReadOnlyList<string> EventNames { get; }
    public int VocabularySize => EventNames.Count;
    /// <summary>The stored id of each sequence (the line number for a file read directly).</summary>
    public IReadOnlyList<long> SequenceIds { get; }
    public IReadOnlyList<int[]> Sequences { get; }
    /// <summary>Distinct sequences in order of first appearance.</summary>
    public IReadOnlyList<DistinctSequence> Distinct { get; }

    public static SequenceCorpus Create(IReadOnlyList<string> eventNames, IReadOnlyList<long> sequenceIds, IReadOnlyList<int[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(eventNames);
        ArgumentNullException.ThrowIfNull(sequenceIds);
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequenceIds.Count != sequences.Count) throw new ArgumentException("One id per sequence.", nameof(sequenceIds));
        foreach (var sequence in sequences)
        {
            if (sequence.Any(e => e < 0 || e >= eventNames.Count))
                throw new ArgumentException("An event index lies outside the vocabulary.", nameof(sequences));
        }
        return new SequenceCorpus(eventNames, sequenceIds, sequences);
    }

    /// <summary>The dataset's training sequences in import order, with the event types' display names.</summary>
    public static async Task<SequenceCorpus> LoadAsync(AppDbContext db, int datasetId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var eventTypes = await db.SequenceEventTypes.AsNoTracking().Where(e => e.DatasetId == datasetId)
            .OrderBy(e => e.Index).Select(e => new { e.Index, e.Key, e.DisplayName }).ToListAsync(ct);
        var names = new string[eventTypes.Count == 0 ? 0 : eventTypes.Max(e => e.Index) + 1];
        foreach (var e in eventTypes) names[e.Index] = string.IsNullOrWhiteSpace(e.DisplayName) ? e.Key : e.DisplayName;
        var rows = await db.EventSequences.AsNoTracking()
            .Where(s => s.DatasetId == datasetId && s.Part == SequenceParts.Train)
            .OrderBy(s => s.Ordinal).Select(s => new { s.Id, s.Events }).ToListAsync(ct);
        return Create(names, rows.Select(r => r.Id).ToList(), rows.Select(r => r.Events).ToList());
    }

    /// <summary>
    /// A file of one sequence per line (space-separated event tokens, as the lines importer reads): event types are
    /// numbered in order of first appearance and named by their token; sequence ids are line numbers. Empty lines
    /// are skipped. Lets the benchmark run the job's fitting code without a database.
    /// </summary>
    public static SequenceCorpus ReadLines(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var ids = new List<long>();
        var sequences = new List<int[]>();
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tokens.Length == 0) continue;
            var events = new int[tokens.Length];
            for (var i = 0; i < tokens.Length; i++)
            {
                if (!index.TryGetValue(tokens[i], out var e))
                {
                    index[tokens[i]] = e = names.Count;
                    names.Add(tokens[i]);
                }
                events[i] = e;
            }
            ids.Add(lineNumber);
            sequences.Add(events);
        }
        return new SequenceCorpus(names, ids, sequences);
    }

    /// <summary>The first sequence id of each distinct sequence (the one shown as its representative).</summary>
    public long RepresentativeId(int distinctIndex) => SequenceIds[Distinct[distinctIndex].Members[0]];
}

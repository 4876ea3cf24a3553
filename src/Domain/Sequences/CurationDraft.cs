using System.Text.Json;

namespace WebApp.Domain.Sequences;

/// <summary>A category of a curated draft: <paramref name="ClusterId"/> is its row when it has one (null: not stored yet).</summary>
public sealed record DraftCategory(int? ClusterId, string Name, string Description, bool IsOthers, IReadOnlyList<int> TopicIds);

/// <summary>A sequence a curator moved by hand into the category at position <paramref name="Category"/>.</summary>
public sealed record ManualPlacement(long SequenceId, int Category);

/// <summary>A curator's decision that breaks a rule of the draft; the message is shown as is.</summary>
public sealed class CurationRuleException(string message) : Exception(message);

/// <summary>
/// Everything a curator decides about a draft: the threshold, the categories in display order (Others first, always
/// there) and the sequences moved by hand. Each decision is a pure step from one state to the next; the state before
/// each step is what undo restores (stored as JSON in <see cref="CurationStep"/>).
/// </summary>
public sealed record CurationDraft(double OthersThreshold, IReadOnlyList<DraftCategory> Categories, IReadOnlyList<ManualPlacement> Manual)
{
    public const string OthersName = "Others";
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A draft with only the Others category.</summary>
    public static CurationDraft Empty(double othersThreshold = CategoryAssignment.DefaultOthersThreshold) =>
        new(othersThreshold, [new DraftCategory(null, OthersName, "Sequences that fit no category (no model of their own).", true, [])], []);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static CurationDraft FromJson(string json) =>
        JsonSerializer.Deserialize<CurationDraft>(json, Json) ?? throw new JsonException("An empty draft state.");

    public int PositionOf(int clusterId)
    {
        for (var i = 0; i < Categories.Count; i++)
        {
            if (Categories[i].ClusterId == clusterId) return i;
        }
        throw new CurationRuleException("That category is no longer in the draft; reload to see the current categories.");
    }

    public CurationDraft AddCategory(string name, string description, IEnumerable<int> topicIds)
    {
        var topics = topicIds.Distinct().ToArray();
        return this with { Categories = [.. Categories, new DraftCategory(null, CheckName(name, null), CheckDescription(description), false, topics)] };
    }

    public CurationDraft Rename(int position, string name) =>
        Replace(position, Categories[position] with { Name = CheckName(name, position) });

    public CurationDraft Describe(int position, string description) =>
        Replace(position, Categories[position] with { Description = CheckDescription(description) });

    public CurationDraft AddTopic(int position, int topicId)
    {
        var category = Editable(position);
        if (category.TopicIds.Contains(topicId)) throw new CurationRuleException($"'{category.Name}' already has that topic.");
        return Replace(position, category with { TopicIds = [.. category.TopicIds, topicId] });
    }

    public CurationDraft RemoveTopic(int position, int topicId)
    {
        var category = Editable(position);
        if (!category.TopicIds.Contains(topicId)) throw new CurationRuleException($"'{category.Name}' does not have that topic.");
        return Replace(position, category with { TopicIds = category.TopicIds.Where(t => t != topicId).ToArray() });
    }

    /// <summary>Removes a category; the sequences moved into it by hand go back to the rule.</summary>
    public CurationDraft Delete(int position)
    {
        Editable(position);
        return this with
        {
            Categories = Categories.Where((_, i) => i != position).ToArray(),
            Manual = Manual.Where(m => m.Category != position)
                .Select(m => m.Category > position ? m with { Category = m.Category - 1 } : m).ToArray(),
        };
    }

    public CurationDraft WithThreshold(double threshold)
    {
        if (double.IsNaN(threshold) || threshold is < 0 or > 1) throw new CurationRuleException("The threshold is a probability between 0 and 1.");
        return this with { OthersThreshold = threshold };
    }

    /// <summary>Moves a sequence by hand: it keeps this place whatever the categories' topics become.</summary>
    public CurationDraft Move(long sequenceId, int position)
    {
        if (position < 0 || position >= Categories.Count) throw new CurationRuleException("No such category.");
        return this with { Manual = [.. Manual.Where(m => m.SequenceId != sequenceId), new ManualPlacement(sequenceId, position)] };
    }

    /// <summary>
    /// Moves several sequences by hand in one step (e.g. every copy of a sequence a strip stands for): one undo puts
    /// them all back.
    /// </summary>
    public CurationDraft MoveAll(IReadOnlyCollection<long> sequenceIds, int position)
    {
        ArgumentNullException.ThrowIfNull(sequenceIds);
        if (position < 0 || position >= Categories.Count) throw new CurationRuleException("No such category.");
        if (sequenceIds.Count == 0) throw new CurationRuleException("There is nothing to move.");
        var moved = sequenceIds.ToHashSet();
        return this with { Manual = [.. Manual.Where(m => !moved.Contains(m.SequenceId)), .. moved.Select(id => new ManualPlacement(id, position))] };
    }

    private DraftCategory Editable(int position)
    {
        if (position < 0 || position >= Categories.Count) throw new CurationRuleException("No such category.");
        var category = Categories[position];
        if (category.IsOthers) throw new CurationRuleException("Others takes what fits no category: it has no topics and cannot be deleted.");
        return category;
    }

    private CurationDraft Replace(int position, DraftCategory category) =>
        this with { Categories = Categories.Select((c, i) => i == position ? category : c).ToArray() };

    private string CheckName(string name, int? position)
    {
        name = name.Trim();
        if (name.Length == 0) throw new CurationRuleException("A category needs a name.");
        if (name.Length > MaxNameLength) throw new CurationRuleException($"A name has at most {MaxNameLength} characters.");
        if (Categories.Where((_, i) => i != position).Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
            throw new CurationRuleException($"There is already a category named '{name}'.");
        return name;
    }

    private static string CheckDescription(string description)
    {
        description = description.Trim();
        return description.Length <= MaxDescriptionLength ? description
            : throw new CurationRuleException($"A description has at most {MaxDescriptionLength} characters.");
    }

    /// <summary>
    /// The category of every sequence: a manual placement where there is one, else <see cref="CategoryAssignment"/> over
    /// the categories' topics (Others when none wins). <paramref name="topicProbabilities"/>[s] gives sequence s's
    /// probability per topic id (null: the sequence has no mixture, so it goes to Others).
    /// </summary>
    public (int[] Category, float?[] Score) Assign(IReadOnlyList<long> sequenceIds, IReadOnlyList<Func<int, double>?> topicProbabilities)
    {
        var others = Categories.Select((c, i) => (c, i)).First(x => x.c.IsOthers).i;
        var ruled = Categories.Select((c, i) => (c, i)).Where(x => !x.c.IsOthers).ToArray();
        IReadOnlyList<IReadOnlyCollection<int>> topics = ruled.Select(x => (IReadOnlyCollection<int>)x.c.TopicIds.ToArray()).ToArray();
        var manual = Manual.ToDictionary(m => m.SequenceId, m => m.Category);
        var category = new int[sequenceIds.Count];
        var score = new float?[sequenceIds.Count];
        for (var s = 0; s < sequenceIds.Count; s++)
        {
            if (manual.TryGetValue(sequenceIds[s], out var placed))
            {
                category[s] = placed;
                continue;
            }
            if (topicProbabilities[s] is not { } probability)
            {
                category[s] = others;
                continue;
            }
            var (winner, best) = CategoryAssignment.Assign(topics, probability, OthersThreshold);
            category[s] = winner is { } w ? ruled[w].i : others;
            score[s] = winner is null ? null : (float)best;
        }
        return (category, score);
    }
}

/// <summary>One decision on a curated draft, with the draft's state before it: undo restores that state.</summary>
public class CurationStep
{
    public long Id { get; set; }
    public int ClusteringId { get; set; }
    /// <summary>The audit action, e.g. <c>sequences.category.create</c>.</summary>
    public string Action { get; set; } = "";
    /// <summary>What the step did, in words (shown on the undo button).</summary>
    public string Summary { get; set; } = "";
    /// <summary>The <see cref="CurationDraft"/> before the step, as JSON.</summary>
    public string Before { get; set; } = "{}";
    /// <summary>For a "save version" step: the version it saved (undo discards it while nothing builds on it).</summary>
    public int? SavedClusteringId { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
}

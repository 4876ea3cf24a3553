using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using WebApp.Domain.Sequences;
using WebApp.Web.Sequences.Components;
using WebApp.Web.Sequences.Curation;

namespace WebApp.UnitTests.Sequences;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.")]
public sealed class SequenceComponentTests : IAsyncLifetime
{
    private readonly BunitContext _context = new();

    private static readonly SequenceEventType[] Vocabulary =
    [
        new() { Index = 0, Key = "5", DisplayName = "Receiving block", Color = "#ffeb3b" },
        new() { Index = 1, Key = "22", DisplayName = "Allocate block", Color = "#1a237e" },
        new() { Index = 2, Key = "11", DisplayName = "Packet responder", Color = "#43a047" },
    ];

    public SequenceComponentTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();

    [Fact]
    public void A_strip_draws_one_coloured_cell_per_event_named_in_its_title_and_marks_a_hit()
    {
        var strip = _context.Render<SequenceStrip>(p => p
            .Add(s => s.Events, [1, 0, 0, 2])
            .Add(s => s.Vocabulary, Vocabulary)
            .Add(s => s.HighlightStart, 1)
            .Add(s => s.HighlightLength, 2));

        var cells = strip.FindAll(".seq-cell");
        Assert.Equal(["22", "5", "5", "11"], cells.Select(c => c.TextContent));
        Assert.Equal("1: Allocate block (22)", cells[0].GetAttribute("title"));
        Assert.Contains("background: #1a237e", cells[0].GetAttribute("style"));
        // Light cells get dark text, dark cells light text.
        Assert.Contains("color: #fff", cells[0].GetAttribute("style"));
        Assert.Contains("color: #000", cells[1].GetAttribute("style"));
        Assert.Equal([false, true, true, false], cells.Select(c => c.ClassList.Contains("seq-hit")));
    }

    [Fact]
    public void A_long_strip_is_cut_and_says_how_many_events_are_left_and_unknown_events_still_render()
    {
        var strip = _context.Render<SequenceStrip>(p => p
            .Add(s => s.Events, Enumerable.Repeat(0, 10).Append(7).ToArray())
            .Add(s => s.Vocabulary, Vocabulary)
            .Add(s => s.MaxCells, 4));
        Assert.Equal(4, strip.FindAll(".seq-cell").Count);
        Assert.Equal("+7", strip.Find(".seq-more").TextContent);

        var unknown = _context.Render<SequenceStrip>(p => p.Add(s => s.Events, [7]).Add(s => s.Vocabulary, Vocabulary));
        Assert.Equal("1: event 7 (7)", unknown.Find(".seq-cell").GetAttribute("title"));
    }

    private static ClusterCardData Card(bool others = false) => new(
        new Cluster { Id = 42, Name = others ? "Others" : "Replication", Description = "Blocks copied", IsOthers = others, TopicIds = [7] },
        Size: 30, ManualCount: 2,
        TopEvents: [new EventShare(0, 0.5), new EventShare(1, 0.25)],
        Representatives: [new RepresentativeSequence(100, "1", [0, 1, 2], 20), new RepresentativeSequence(101, "2", [0, 0], 10)],
        Entropy: 1.5,
        Topics: [new EnsembleTopic(7, 1, 3, 1, [0.2f, 0.3f, 0.5f])]);

    [Fact]
    public void A_card_shows_size_share_topics_events_strips_and_figures()
    {
        var card = _context.Render<ClusterCard>(p => p
            .Add(c => c.Card, Card())
            .Add(c => c.Vocabulary, Vocabulary)
            .Add(c => c.TotalSize, 120)
            .Add(c => c.Silhouette, 0.4567));

        Assert.Equal("30", card.Find("[data-test=cluster-card]").GetAttribute("data-size"));
        Assert.Contains("25", card.Find("[data-test=cluster-size]").TextContent);
        Assert.Equal("1.50", card.Find("[data-test=cluster-entropy]").TextContent);
        Assert.Equal("0.46", card.Find("[data-test=cluster-silhouette]").TextContent);
        Assert.Equal("k3·t2", card.Find("[data-test=category-topic]").TextContent.Trim());
        Assert.Equal(2, card.FindAll("[data-test=representative]").Count);
        Assert.Contains("×20", card.Find("[data-test=representative]").TextContent);
        Assert.Contains("2 moved by hand", card.Markup);
        // Read-only: no inputs.
        Assert.Empty(card.FindAll("input, textarea, select"));
    }

    [Fact]
    public void An_editable_card_raises_rename_delete_and_move()
    {
        (int, string)? renamed = null;
        int? deleted = null;
        (long, int, int)? moved = null;
        var card = _context.Render<ClusterCard>(p => p
            .Add(c => c.Card, Card())
            .Add(c => c.Vocabulary, Vocabulary)
            .Add(c => c.Editable, true)
            .Add(c => c.MoveTargets, [(42, "Replication"), (43, "Others")])
            .Add(c => c.OnRename, x => renamed = x)
            .Add(c => c.OnDelete, x => deleted = x)
            .Add(c => c.OnMove, x => moved = x));

        card.Find("[data-test=category-name]").Change("Replicas");
        Assert.Equal((42, "Replicas"), renamed);
        card.Find("[data-test=category-delete]").Click();
        Assert.Equal(42, deleted);
        var move = card.Find("[data-test=move-sequence]");
        Assert.DoesNotContain(move.QuerySelectorAll("option"), o => o.GetAttribute("value") == "42");
        // The strip stands for 20 identical sequences: the action says so and asks before moving all of them.
        Assert.Equal("move all 20…", move.QuerySelector("option")!.TextContent);
        Assert.Equal("Move all 20 identical sequences to", move.GetAttribute("aria-label"));
        move.Change("43");
        Assert.Null(moved);
        Assert.Contains("Move all 20 identical sequences to 'Others'? Undo puts them back.", card.Find("[data-test=move-confirm]").TextContent);
        card.Find("[data-test=move-cancel]").Click();
        Assert.Empty(card.FindAll("[data-test=move-confirm]"));
        Assert.Null(moved);
        card.Find("[data-test=move-sequence]").Change("43");
        card.Find("[data-test=move-confirm-button]").Click();
        Assert.Equal((100L, 43, 20), moved);
    }

    [Fact]
    public void Others_cannot_be_renamed_or_deleted()
    {
        var card = _context.Render<ClusterCard>(p => p
            .Add(c => c.Card, Card(others: true))
            .Add(c => c.Vocabulary, Vocabulary)
            .Add(c => c.Editable, true));
        Assert.Empty(card.FindAll("[data-test=category-name], [data-test=category-delete]"));
    }

    [Fact]
    public void The_sequential_scale_runs_from_light_to_dark_viridis_and_the_event_palette_has_no_repeats_for_28_events()
    {
        Assert.Equal("#fde725", EventPalette.Sequential(0));
        Assert.Equal("#440154", EventPalette.Sequential(1));
        Assert.Equal("#21918c", EventPalette.Sequential(0.5));
        Assert.Equal(EventPalette.Sequential(1), EventPalette.Sequential(7));
        Assert.Equal(EventPalette.Sequential(0), EventPalette.Sequential(double.NaN));
        Assert.Equal(28, Enumerable.Range(0, 28).Select(EventPalette.ColorOf).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(EventPalette.Colors.Count >= 36);
    }

    [Fact]
    public void The_heatmap_groups_topics_by_k_shades_cells_by_weight_and_ticks_topics()
    {
        EnsembleTopic[] topics =
        [
            new(1, 10, 2, 0, [0.8f, 0.2f, 0f]), new(2, 10, 2, 1, [0.1f, 0.1f, 0.8f]),
            new(3, 11, 3, 0, [0.5f, 0.25f, 0.25f]), new(4, 11, 3, 1, [0f, 1f, 0f]), new(5, 11, 3, 2, [0.4f, 0.4f, 0.2f]),
        ];
        var selected = new HashSet<int>();
        int? clicked = null;
        var heatmap = _context.Render<TopicHeatmap>(p => p
            .Add(h => h.Topics, topics)
            .Add(h => h.Vocabulary, Vocabulary)
            .Add(h => h.Selectable, true)
            .Add(h => h.Selected, selected)
            .Add(h => h.Usage, new Dictionary<int, string> { [4] = "Replication" })
            .Add(h => h.OnTopicClick, id => clicked = id));

        Assert.Equal(["k = 2", "k = 3"], heatmap.FindAll("tr.k-group").Select(r => r.TextContent.Trim()));
        Assert.Equal(5, heatmap.FindAll("tr.topic-row").Count);
        var first = heatmap.Find("tr[data-topic='1']").QuerySelectorAll(".heat-cell");
        // Each cell names its event, topic and weight; each column is headed by its event's number and name.
        Assert.Equal("Event E1 Receiving block (5) · topic k2·t1: weight 0.8 (100 % of the topic's heaviest event)", first[0].GetAttribute("title"));
        Assert.Equal(first[0].GetAttribute("title"), first[0].GetAttribute("aria-label"));
        Assert.Equal(["E1 Receiving block", "E2 Allocate block", "E3 Packet responder"],
            heatmap.FindAll("th.event-head .event-head-label").Select(h => h.TextContent));
        // Shaded relative to the topic's heaviest event on the sequential scale: darkest for the heaviest.
        Assert.Contains($"background: {EventPalette.Sequential(1)}", first[0].GetAttribute("style"));
        Assert.Contains($"background: {EventPalette.Sequential(0.25)}", first[1].GetAttribute("style"));
        Assert.NotEmpty(heatmap.FindAll("[data-test=topic-heat-legend]"));
        Assert.Contains("Replication", heatmap.Find("tr[data-topic='4']").TextContent);

        heatmap.Find("#topic-select-3").Change(true);
        Assert.Equal([3], selected);
        heatmap.Find("tr[data-topic='5'] [data-test=topic-link]").Click();
        Assert.Equal(5, clicked);
    }
}

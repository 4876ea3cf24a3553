using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Web.Auditing;

namespace WebApp.IntegrationTests.Auditing;

/// <summary>
/// The audit viewer's filters, keyset paging and CSV export on the real application and PostgreSQL. Each test writes
/// its own records under names no other test uses, so the seeded and the other tests' records never match its filters.
/// </summary>
public class AuditViewerTests(WebAppFactory app) : IClassFixture<WebAppFactory>
{
    private IDbContextFactory<AppDbContext> DbFactory => app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    private static string Tag() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>A clock standing at a chosen time, so that records can be placed in a time range.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private async Task<AuditRecord> RecordAsync(AuditActor actor, string action, string entityType, string entityId,
        object? before = null, object? after = null, DateTime? at = null)
    {
        var trail = at is { } time ? new AuditTrail(new FixedClock(new DateTimeOffset(time, TimeSpan.Zero))) : app.Services.GetRequiredService<AuditTrail>();
        await using var db = await DbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var record = await trail.RecordAsync(db, actor, action, entityType, entityId, before, after ?? new { });
        await transaction.CommitAsync();
        return record;
    }

    private async Task<List<long>> IdsAsync(AuditFilter filter)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        return await AuditQueries.Apply(db.AuditRecords, filter).OrderByDescending(r => r.Id).Select(r => r.Id).ToListAsync();
    }

    [Fact]
    public async Task The_user_filter_matches_part_of_the_name_in_any_case_or_the_exact_user_id()
    {
        var tag = Tag();
        var carla = new AuditActor($"id-carla-{tag}", $"{tag} Carla Curie");
        var carl = new AuditActor($"id-carl-{tag}", $"{tag} carl");
        var other = new AuditActor($"id-other-{tag}", $"{tag} Other");
        var a = await RecordAsync(carla, "test.user", "UserThing", "1");
        var b = await RecordAsync(carl, "test.user", "UserThing", "2");
        var c = await RecordAsync(carla, "test.user", "UserThing", "3");
        await RecordAsync(other, "test.user", "UserThing", "4");

        Assert.Equal([c.Id, b.Id, a.Id], await IdsAsync(new AuditFilter { User = $"{tag} CARL" }));
        Assert.Equal([c.Id, a.Id], await IdsAsync(new AuditFilter { UserId = carla.UserId }));
        Assert.Equal([b.Id], await IdsAsync(new AuditFilter { User = tag, UserId = carl.UserId }));
        // LIKE's wildcards are plain characters in a name search.
        Assert.Empty(await IdsAsync(new AuditFilter { User = $"{tag}_carl" }));
    }

    [Fact]
    public async Task The_entity_filter_matches_the_type_and_the_id()
    {
        var tag = Tag();
        var actor = new AuditActor("u", "entity tester");
        var first = await RecordAsync(actor, "test.entity", $"Report{tag}", "7");
        var second = await RecordAsync(actor, "test.entity", $"Report{tag}", "8");
        var third = await RecordAsync(actor, "test.entity", $"Report{tag}", "7");
        await RecordAsync(actor, "test.entity", $"Other{tag}", "7");

        Assert.Equal([third.Id, second.Id, first.Id], await IdsAsync(new AuditFilter { EntityType = $"Report{tag}" }));
        Assert.Equal([third.Id, first.Id], await IdsAsync(new AuditFilter { EntityType = $"Report{tag}", EntityId = "7" }));
    }

    [Fact]
    public async Task The_action_filter_matches_exactly_or_by_prefix()
    {
        var tag = Tag();
        var actor = new AuditActor("u", "action tester");
        var save = await RecordAsync(actor, $"a{tag}.answer.save", "ActionThing", "1");
        var close = await RecordAsync(actor, $"a{tag}.close", "ActionThing", "1");
        await RecordAsync(actor, $"a{tag}x.close", "ActionThing", "1");
        await RecordAsync(actor, $"a{tag}.answer.saved", "ActionThing", "1");

        Assert.Equal([save.Id], await IdsAsync(new AuditFilter { Action = $"a{tag}.answer.save" }));
        Assert.Equal(4, (await IdsAsync(new AuditFilter { Action = $"a{tag}*" })).Count);
        var prefixed = await IdsAsync(new AuditFilter { Action = $"a{tag}." });
        Assert.Equal(3, prefixed.Count);
        Assert.Contains(close.Id, prefixed);
        Assert.Equal([close.Id], await IdsAsync(new AuditFilter { Action = $"a{tag}.close" }));
    }

    [Fact]
    public async Task The_time_filter_includes_from_and_excludes_to()
    {
        // Far in the future: only this test writes records then.
        var start = new DateTime(2091, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var actor = new AuditActor("u", "time tester");
        var before = await RecordAsync(actor, "test.time", "TimeThing", "1", at: start.AddSeconds(-1));
        var atStart = await RecordAsync(actor, "test.time", "TimeThing", "2", at: start);
        var inside = await RecordAsync(actor, "test.time", "TimeThing", "3", at: start.AddMinutes(30));
        var atEnd = await RecordAsync(actor, "test.time", "TimeThing", "4", at: start.AddHours(1));

        Assert.Equal([inside.Id, atStart.Id], await IdsAsync(new AuditFilter { From = start, To = start.AddHours(1) }));
        Assert.Equal([atEnd.Id, inside.Id, atStart.Id], await IdsAsync(new AuditFilter { From = start }));
        Assert.Contains(before.Id, await IdsAsync(new AuditFilter { To = start }));
        Assert.DoesNotContain(atStart.Id, await IdsAsync(new AuditFilter { To = start }));
        // As read from a query string: an offset is converted, no offset means UTC.
        Assert.True(AuditFilter.TryParse(name => name switch { "from" => "2091-03-01T13:00:00+01:00", "to" => "2091-03-01T12:45", _ => null },
            out var parsed, out _));
        Assert.Equal([inside.Id, atStart.Id], await IdsAsync(parsed));
    }

    [Fact]
    public async Task Keyset_pages_neither_repeat_nor_skip_a_record_even_when_records_are_appended_while_paging()
    {
        var tag = Tag();
        var filter = new AuditFilter { EntityType = $"Paged{tag}" };
        var actor = new AuditActor("u", "paging tester");
        var written = new List<long>();
        for (var i = 0; i < 23; i++) written.Add((await RecordAsync(actor, "test.page", $"Paged{tag}", i.ToString(CultureInfo.InvariantCulture))).Id);
        written.Reverse();

        await using var db = await DbFactory.CreateDbContextAsync();
        var pages = new List<AuditPage> { await AuditQueries.PageAsync(db, filter, null, null, 5) };
        Assert.Null(pages[0].NewerThan);
        // A record written after the first page was read belongs to the newest end, not into the older pages.
        var appended = await RecordAsync(actor, "test.page", $"Paged{tag}", "late");
        while (pages[^1].OlderThan is { } olderThan) pages.Add(await AuditQueries.PageAsync(db, filter, olderThan, null, 5));

        Assert.Equal([5, 5, 5, 5, 3], pages.Select(p => p.Records.Count));
        Assert.Equal(written, pages.SelectMany(p => p.Records).Select(r => r.Id));
        Assert.All(pages.Skip(1), p => Assert.Equal(24, p.Total));

        // Back again with "newer": the same pages, then the appended record ahead of the first.
        var page = pages[^1];
        for (var i = pages.Count - 2; i >= 0; i--)
        {
            page = await AuditQueries.PageAsync(db, filter, null, page.NewerThan!.Value, 5);
            Assert.Equal(pages[i].Records.Select(r => r.Id), page.Records.Select(r => r.Id));
        }
        Assert.NotNull(page.NewerThan);
        var newest = await AuditQueries.PageAsync(db, filter, null, page.NewerThan!.Value, 5);
        Assert.Equal([appended.Id], newest.Records.Select(r => r.Id));
        Assert.Null(newest.NewerThan);
    }

    [Fact]
    public async Task Distinct_choices_list_each_entity_type_action_and_user_once()
    {
        var tag = Tag();
        var actor = new AuditActor($"id-{tag}", $"Chooser {tag}");
        await RecordAsync(actor, $"c{tag}.one", $"Choice{tag}", "1");
        await RecordAsync(actor, $"c{tag}.one", $"Choice{tag}", "2");
        await RecordAsync(actor, $"c{tag}.two", $"Choice{tag}", "3");

        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Single(await AuditQueries.EntityTypesAsync(db), t => t == $"Choice{tag}");
        var actions = await AuditQueries.ActionsAsync(db);
        Assert.Equal([$"c{tag}.one", $"c{tag}.two"], actions.Where(a => a.StartsWith($"c{tag}", StringComparison.Ordinal)));
        Assert.Single(AuditQueries.ActionPrefixes(actions), p => p == $"c{tag}.");
        Assert.Single(await AuditQueries.UsersAsync(db), u => u.UserId == actor.UserId && u.Name == actor.Name);
    }

    [Fact]
    public async Task An_admin_exports_the_filtered_records_as_csv_with_json_quoted()
    {
        var tag = Tag();
        // The name has a comma, quotes and a line break; the JSON has commas and quotes (and escaped line breaks).
        var actor = new AuditActor($"id-{tag}", $"Exporter, \"the\"\r\nof {tag}");
        var created = await RecordAsync(actor, "test.export", $"Export{tag}", "1", null,
            new { Name = "a, b", Note = "says \"hi\"\nand\r\nmore", Nested = new { Value = 1 } });
        var changed = await RecordAsync(actor, "test.export", $"Export{tag}", "1",
            new { Name = "a, b" }, new { Name = "ümlaut ✓" });
        await RecordAsync(actor, "test.export", $"Export{tag}", "2");

        var client = await app.ClientAsync("admin@demo.local");
        var response = await client.GetAsync($"{AuditExportApi.Path}?entityType=Export{tag}&entityId=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".csv", response.Content.Headers.ContentDisposition?.FileName, StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(AuditExportApi.Columns, rows[0]);
        Assert.Equal(3, rows.Count);
        foreach (var (row, record) in rows.Skip(1).Zip([changed, created]))
        {
            Assert.Equal(AuditExportApi.Fields(record).Select(f => f ?? ""), row);
        }
        Assert.Equal(changed.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture), rows[1][1]);
        Assert.Equal(actor.Name, rows[1][3]);
        Assert.Equal("", rows[2][7]);
        using var createdAfter = JsonDocument.Parse(rows[2][8]);
        Assert.Equal("says \"hi\"\nand\r\nmore", createdAfter.RootElement.GetProperty("note").GetString());
        using var changedAfter = JsonDocument.Parse(rows[1][8]);
        Assert.Equal("ümlaut ✓", changedAfter.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_export_reads_every_record_of_the_filter_across_its_batches()
    {
        var tag = Tag();
        var actor = new AuditActor("u", "bulk tester");
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var trail = app.Services.GetRequiredService<AuditTrail>();
            for (var i = 0; i < 1003; i++) await trail.RecordAsync(db, actor, "test.bulk", $"Bulk{tag}", i.ToString(CultureInfo.InvariantCulture), null, new { i });
            await transaction.CommitAsync();
        }

        var client = await app.ClientAsync("admin@demo.local");
        var csv = await client.GetStringAsync($"{AuditExportApi.Path}?entityType=Bulk{tag}");

        var rows = ParseCsv(csv.TrimStart('\uFEFF'));
        var ids = rows.Skip(1).Select(r => long.Parse(r[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(await IdsAsync(new AuditFilter { EntityType = $"Bulk{tag}" }), ids);
        Assert.Equal(1003, ids.Distinct().Count());
    }

    [Fact]
    public async Task The_export_needs_an_admin()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await (await app.ClientAsync()).GetAsync(AuditExportApi.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientAsync("auditor@demo.local")).GetAsync(AuditExportApi.Path)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await (await app.ClientAsync("admin@demo.local")).GetAsync($"{AuditExportApi.Path}?from=yesterday")).StatusCode);
    }

    [Fact]
    public async Task The_page_shows_the_records_of_the_filter_in_its_query_string()
    {
        var tag = Tag();
        var actor = new AuditActor($"id-{tag}", $"Pager {tag}");
        var shown = await RecordAsync(actor, $"p{tag}.save", $"Page{tag}", "1", new { Title = "old", Tags = (List<string>)["x"] }, new { Title = "new", Tags = (List<string>)["x", "y"] });
        var otherAction = await RecordAsync(actor, $"p{tag}.close", $"Page{tag}", "1");
        var otherEntity = await RecordAsync(actor, $"p{tag}.save", $"Page{tag}", "2");

        var client = await app.ClientAsync("admin@demo.local");
        var response = await client.GetAsync($"/admin/audit?entityType=Page{tag}&entityId=1&action=p{tag}.save");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains($"data-record-id=\"{shown.Id}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-record-id=\"{otherAction.Id}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-record-id=\"{otherEntity.Id}\"", html, StringComparison.Ordinal);
        Assert.Matches(@"<strong>1</strong>\s*record matches the filter", html);
        Assert.Contains("1 changed, 1 added", html, StringComparison.Ordinal);
        // The export link carries the same filter.
        Assert.Contains($"api/audit/export.csv?entityType=Page{tag}&entityId=1&action=p{tag}.save", html, StringComparison.Ordinal);
    }

    /// <summary>RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; rows end with CRLF.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else field.Append(c);
        }
        Assert.True(field.Length == 0 && row.Count == 0, "The CSV must end with CRLF.");
        return rows;
    }
}

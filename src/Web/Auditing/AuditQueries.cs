using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WebApp.Domain;
using WebApp.Domain.Auditing;

namespace WebApp.Web.Auditing;

/// <summary>
/// What the audit viewer and its CSV export show; every part is optional. The same query-string names serve the page
/// and <c>/api/audit/export.csv</c>, so a filtered view can be shared, bookmarked and exported as it is.
/// </summary>
public sealed record AuditFilter
{
    public const string UserParameter = "user";
    public const string UserIdParameter = "userId";
    public const string EntityTypeParameter = "entityType";
    public const string EntityIdParameter = "entityId";
    public const string ActionParameter = "action";
    public const string FromParameter = "from";
    public const string ToParameter = "to";

    /// <summary>Part of the actor's name, any case.</summary>
    public string? User { get; init; }
    /// <summary>The actor's user id, exactly.</summary>
    public string? UserId { get; init; }
    public string? EntityType { get; init; }
    public string? EntityId { get; init; }
    /// <summary>An action exactly, or every action starting with a prefix that ends with '.' or '*' ("assessment.").</summary>
    public string? Action { get; init; }
    /// <summary>Inclusive lower bound, UTC.</summary>
    public DateTime? From { get; init; }
    /// <summary>Exclusive upper bound, UTC.</summary>
    public DateTime? To { get; init; }

    public bool IsEmpty => this == new AuditFilter();

    /// <summary>Reads the filter from query-string values; an unreadable time is an error, not silently dropped.</summary>
    public static bool TryParse(Func<string, string?> query, out AuditFilter filter, out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        error = null;
        var from = Time(FromParameter, ref error);
        var to = Time(ToParameter, ref error);
        filter = new AuditFilter
        {
            User = Text(UserParameter),
            UserId = Text(UserIdParameter),
            EntityType = Text(EntityTypeParameter),
            EntityId = Text(EntityIdParameter),
            Action = Text(ActionParameter),
            From = from,
            To = to,
        };
        error ??= RangeError(from, to);
        return error is null;

        string? Text(string name) => string.IsNullOrWhiteSpace(query(name)) ? null : query(name)!.Trim();

        DateTime? Time(string name, ref string? problem)
        {
            if (Text(name) is not { } value) return null;
            if (ParseTime(value) is { } time) return time;
            problem ??= $"'{value}' is not a time: use ISO 8601, e.g. 2026-01-31T14:00:00Z.";
            return null;
        }
    }

    /// <summary>Why a time range cannot match any record (From not before To), or null.</summary>
    public static string? RangeError(DateTime? from, DateTime? to) =>
        from is { } f && to is { } t && f >= t
            ? $"From ({FormatTime(f)}) must be earlier than To ({FormatTime(t)}), which is exclusive: as given, no record can match."
            : null;

    /// <summary>An ISO 8601 time; without an offset it is taken as UTC.</summary>
    public static DateTime? ParseTime(string value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    public static string FormatTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The filter's query-string values, without the empty ones.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToQuery()
    {
        (string Name, string? Value)[] values =
        [
            (UserParameter, User), (UserIdParameter, UserId), (EntityTypeParameter, EntityType), (EntityIdParameter, EntityId),
            (ActionParameter, Action), (FromParameter, From is { } from ? FormatTime(from) : null), (ToParameter, To is { } to ? FormatTime(to) : null),
        ];
        return values.Where(v => v.Value is not null).Select(v => KeyValuePair.Create(v.Name, v.Value));
    }

    /// <summary>"?name=value&amp;…" with the filter and the extra values given (null values left out); "" when empty.</summary>
    public string QueryString(params (string Name, string? Value)[] extra) =>
        Microsoft.AspNetCore.Http.QueryString.Create(
            ToQuery().Concat(extra.Where(e => e.Value is not null).Select(e => KeyValuePair.Create(e.Name, e.Value)))).ToUriComponent();

    /// <summary>The action prefix (without a trailing '*') when <see cref="Action"/> asks for one.</summary>
    public string? ActionPrefix => Action switch
    {
        null => null,
        _ when Action.EndsWith('*') => Action[..^1],
        _ when Action.EndsWith('.') => Action,
        _ => null,
    };
}

/// <summary>One page of records, newest first, with where the neighbouring pages start.</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long Total, long? OlderThan, long? NewerThan);

/// <summary>An actor who wrote audit records: a user (with an id) or a process (without).</summary>
public sealed record AuditUser(string? UserId, string Name);

/// <summary>
/// The audit viewer's queries. Pages are keyset pages on <see cref="AuditRecord.Id"/> (the chain's order, newest first):
/// a page never repeats or skips a record however many are appended while paging.
/// </summary>
public static class AuditQueries
{
    public const int MaxPageSize = 500;

    /// <summary>The records that pass <paramref name="filter"/>; each part uses an index (UserId, (EntityType, EntityId), Action, Timestamp)
    /// except the name search.</summary>
    public static IQueryable<AuditRecord> Apply(IQueryable<AuditRecord> records, AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.User is { } user) records = records.Where(r => EF.Functions.ILike(r.UserName, "%" + EscapeLike(user) + "%", @"\"));
        if (filter.UserId is { } userId) records = records.Where(r => r.UserId == userId);
        if (filter.EntityType is { } entityType) records = records.Where(r => r.EntityType == entityType);
        if (filter.EntityId is { } entityId) records = records.Where(r => r.EntityId == entityId);
        if (filter.ActionPrefix is { } prefix) records = records.Where(r => r.Action.StartsWith(prefix));
        else if (filter.Action is { } action) records = records.Where(r => r.Action == action);
        if (filter.From is { } from) records = records.Where(r => r.Timestamp >= from);
        if (filter.To is { } to) records = records.Where(r => r.Timestamp < to);
        return records;
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    /// <summary>
    /// The newest <paramref name="size"/> records of the filter older than <paramref name="olderThan"/> (exclusive), or, when
    /// <paramref name="newerThan"/> is given, the oldest <paramref name="size"/> newer than it; always listed newest first.
    /// </summary>
    public static async Task<AuditPage> PageAsync(AppDbContext db, AuditFilter filter, long? olderThan, long? newerThan, int size,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        size = Math.Clamp(size, 1, MaxPageSize);
        var filtered = Apply(db.AuditRecords.AsNoTracking(), filter);
        List<AuditRecord> records;
        if (newerThan is { } newer && olderThan is null)
        {
            records = await filtered.Where(r => r.Id > newer).OrderBy(r => r.Id).Take(size).ToListAsync(cancellationToken);
            records.Reverse();
        }
        else
        {
            var older = filtered;
            if (olderThan is { } bound) older = older.Where(r => r.Id < bound);
            records = await older.OrderByDescending(r => r.Id).Take(size).ToListAsync(cancellationToken);
        }
        var total = await filtered.LongCountAsync(cancellationToken);
        if (records.Count == 0) return new AuditPage(records, total, null, null);
        var newest = records[0].Id;
        var oldest = records[^1].Id;
        var hasOlder = await filtered.AnyAsync(r => r.Id < oldest, cancellationToken);
        var hasNewer = await filtered.AnyAsync(r => r.Id > newest, cancellationToken);
        return new AuditPage(records, total, hasOlder ? oldest : null, hasNewer ? newest : null);
    }

    /// <summary>Every record of the filter, newest first, read <paramref name="batchSize"/> at a time so that none is held longer than its batch.</summary>
    public static async IAsyncEnumerable<AuditRecord> StreamAsync(AppDbContext db, AuditFilter filter, int batchSize = 500,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var filtered = Apply(db.AuditRecords.AsNoTracking(), filter);
        long? olderThan = null;
        while (true)
        {
            var batchQuery = filtered;
            if (olderThan is { } bound) batchQuery = batchQuery.Where(r => r.Id < bound);
            var batch = await batchQuery.OrderByDescending(r => r.Id).Take(batchSize).ToListAsync(cancellationToken);
            foreach (var record in batch) yield return record;
            if (batch.Count < batchSize) yield break;
            olderThan = batch[^1].Id;
        }
    }

    /// <summary>The entity types recorded, for the filter's choices.</summary>
    public static async Task<IReadOnlyList<string>> EntityTypesAsync(AppDbContext db, CancellationToken cancellationToken = default) =>
        await db.AuditRecords.Select(r => r.EntityType).Distinct().OrderBy(t => t).ToListAsync(cancellationToken);

    /// <summary>The actions recorded, for the filter's choices.</summary>
    public static async Task<IReadOnlyList<string>> ActionsAsync(AppDbContext db, CancellationToken cancellationToken = default) =>
        await db.AuditRecords.Select(r => r.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);

    /// <summary>The actors recorded (a user under each name they had), for the filter's choices.</summary>
    public static async Task<IReadOnlyList<AuditUser>> UsersAsync(AppDbContext db, CancellationToken cancellationToken = default) =>
        await db.AuditRecords.Select(r => new { r.UserId, r.UserName }).Distinct().OrderBy(u => u.UserName).ThenBy(u => u.UserId)
            .Select(u => new AuditUser(u.UserId, u.UserName)).ToListAsync(cancellationToken);

    /// <summary>The action prefixes ("assessment.") of the recorded actions, for filtering a whole area at once.</summary>
    public static IReadOnlyList<string> ActionPrefixes(IEnumerable<string> actions) =>
        [.. actions.Where(a => a.Contains('.', StringComparison.Ordinal)).Select(a => a[..(a.IndexOf('.', StringComparison.Ordinal) + 1)]).Distinct().Order(StringComparer.Ordinal)];
}

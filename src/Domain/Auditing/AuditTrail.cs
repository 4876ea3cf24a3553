using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.Auditing;

/// <summary>
/// Writes audit records in the same transaction as the change they describe: if the change rolls back,
/// so does its record; if the record cannot be written, the change does not happen.
/// </summary>
public sealed class AuditTrail(TimeProvider clock)
{
    // Any constant: serialises appends so each record links to the one committed just before it.
    private const long ChainLockKey = 0x41554449545F4C4B; // "AUDIT_LK"

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>
    /// Adds a record to <paramref name="db"/> and saves all pending changes with it.
    /// Must run inside a transaction begun on <paramref name="db"/>; the caller commits.
    /// </summary>
    public async Task<AuditRecord> RecordAsync(
        AppDbContext db, AuditActor actor, string action, string entityType, string entityId,
        object? before, object? after, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException(
                "An audit record must be written inside the transaction of the change it describes.");
        }

        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLockKey})", cancellationToken);
        var previousHash = await db.AuditRecords
            .OrderByDescending(r => r.Id)
            .Select(r => r.Hash)
            .FirstOrDefaultAsync(cancellationToken) ?? AuditHash.Genesis;

        var record = new AuditRecord
        {
            Timestamp = AuditHash.ToStoredPrecision(clock.GetUtcNow().UtcDateTime),
            UserId = actor.UserId,
            UserName = actor.Name,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
            PreviousHash = previousHash,
        };
        record.Hash = AuditHash.Compute(record);
        db.AuditRecords.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }
}

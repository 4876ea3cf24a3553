namespace WebApp.Domain.Auditing;

/// <summary>
/// One entry of the append-only audit trail. PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the table;
/// <see cref="Hash"/> chains each record to the one before it, so a change made around the trigger shows.
/// </summary>
public class AuditRecord
{
    public long Id { get; set; }
    public DateTime Timestamp { get; set; }
    public string? UserId { get; set; }
    public string UserName { get; set; } = "";
    public string Action { get; set; } = "";
    public string EntityType { get; set; } = "";
    public string EntityId { get; set; } = "";
    /// <summary>JSON of the entity before the change; null for a creation.</summary>
    public string? Before { get; set; }
    /// <summary>JSON of the entity after the change; null for a deletion.</summary>
    public string? After { get; set; }
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";
}

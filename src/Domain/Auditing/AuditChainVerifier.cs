using Microsoft.EntityFrameworkCore;

namespace WebApp.Domain.Auditing;

public sealed record AuditVerification(bool IsIntact, long RecordsChecked, long? FirstBrokenRecordId, string? Problem)
{
    public override string ToString() => IsIntact
        ? $"Chain intact: {RecordsChecked} records verified."
        : $"Chain broken at record {FirstBrokenRecordId}: {Problem}";
}

/// <summary>Walks the audit chain in order and reports the first record whose link does not hold.</summary>
public sealed class AuditChainVerifier(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var expectedPrevious = AuditHash.Genesis;
        long checkedCount = 0;
        await foreach (var record in db.AuditRecords.AsNoTracking().OrderBy(r => r.Id)
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (record.PreviousHash != expectedPrevious)
            {
                return new AuditVerification(false, checkedCount, record.Id,
                    "its previous-hash does not match the record before it (a record was removed, inserted or reordered).");
            }
            if (AuditHash.Compute(record) != record.Hash)
            {
                return new AuditVerification(false, checkedCount, record.Id,
                    "its content no longer matches its hash (the record was altered).");
            }
            expectedPrevious = record.Hash;
            checkedCount++;
        }
        return new AuditVerification(true, checkedCount, null, null);
    }
}

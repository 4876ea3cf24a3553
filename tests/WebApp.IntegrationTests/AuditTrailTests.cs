using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebApp.Domain;
using WebApp.Domain.Auditing;
using WebApp.Testing;

namespace WebApp.IntegrationTests;

public sealed class AuditTrailTests : IAsyncLifetime
{
    private static readonly AuditActor Tester = new("user-1", "tester");
    private readonly AuditTrail _audit = new(TimeProvider.System);
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private AuditChainVerifier Verifier => new(_database.CreateFactory());

    private async Task<AuditRecord> AppendAsync(int n)
    {
        await using var db = _database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var record = await _audit.RecordAsync(db, Tester, "thing.changed", "Thing", n.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { Value = n - 1 }, new { Value = n });
        await transaction.CommitAsync();
        return record;
    }

    [Fact]
    public async Task Records_chain_to_their_predecessor_and_verify()
    {
        var first = await AppendAsync(1);
        var second = await AppendAsync(2);
        var third = await AppendAsync(3);

        Assert.Equal(AuditHash.Genesis, first.PreviousHash);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(second.Hash, third.PreviousHash);
        var result = await Verifier.VerifyAsync();
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(3, result.RecordsChecked);
    }

    [Theory]
    [InlineData("UPDATE \"AuditRecords\" SET \"Action\" = 'forged'")]
    [InlineData("DELETE FROM \"AuditRecords\"")]
    [InlineData("TRUNCATE \"AuditRecords\"")]
    public async Task PostgreSQL_refuses_to_change_or_remove_records(string sql)
    {
        await AppendAsync(1);

        var error = await Assert.ThrowsAsync<PostgresException>(() => _database.ExecuteAsync(sql));

        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM \"AuditRecords\""));
    }

    [Fact]
    public async Task An_altered_record_is_reported_as_the_first_broken_link()
    {
        await AppendAsync(1);
        var target = await AppendAsync(2);
        await AppendAsync(3);

        // A superuser can step around triggers; the hash chain still tells.
        await _database.ExecuteAsync(
            "SET session_replication_role = replica; " +
            $"UPDATE \"AuditRecords\" SET \"After\" = '{{\"value\":999}}' WHERE \"Id\" = {target.Id}; " +
            "SET session_replication_role = origin;");

        var result = await Verifier.VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(target.Id, result.FirstBrokenRecordId);
        Assert.Equal(1, result.RecordsChecked);
        Assert.Contains("altered", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_record_breaks_the_link_of_its_successor()
    {
        await AppendAsync(1);
        var removed = await AppendAsync(2);
        var successor = await AppendAsync(3);

        await _database.ExecuteAsync(
            $"SET session_replication_role = replica; DELETE FROM \"AuditRecords\" WHERE \"Id\" = {removed.Id}; SET session_replication_role = origin;");

        var result = await Verifier.VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(successor.Id, result.FirstBrokenRecordId);
        Assert.Contains("removed", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_is_refused_outside_a_transaction()
    {
        await using var db = _database.CreateContext();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _audit.RecordAsync(db, Tester, "thing.changed", "Thing", "1", null, new { }));
    }

    [Fact]
    public async Task A_rolled_back_change_leaves_no_record()
    {
        await using (var db = _database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await _audit.RecordAsync(db, Tester, "thing.changed", "Thing", "1", null, new { });
            await transaction.RollbackAsync();
        }
        await using var check = _database.CreateContext();
        Assert.Equal(0, await check.AuditRecords.CountAsync());
    }

    [Fact]
    public async Task Concurrent_appends_keep_one_unbroken_chain()
    {
        await Task.WhenAll(Enumerable.Range(1, 24).Select(n => Task.Run(() => AppendAsync(n))));

        var result = await Verifier.VerifyAsync();
        Assert.True(result.IsIntact, result.ToString());
        Assert.Equal(24, result.RecordsChecked);
    }
}

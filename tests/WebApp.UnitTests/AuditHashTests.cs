using System.Security.Cryptography;
using System.Text;
using WebApp.Domain.Auditing;

namespace WebApp.UnitTests;

public class AuditHashTests
{
    private static AuditRecord Sample() => new()
    {
        Timestamp = new DateTime(2026, 11, 29, 10, 15, 30, DateTimeKind.Utc).AddTicks(1234560),
        UserId = "u1",
        UserName = "ada",
        Action = "user.created",
        EntityType = "AppUser",
        EntityId = "42",
        Before = null,
        After = "{\"email\":\"a@b\"}",
        PreviousHash = AuditHash.Genesis,
    };

    [Fact]
    public void Hash_is_the_sha256_of_the_length_prefixed_fields()
    {
        var expectedContent =
            "64:" + AuditHash.Genesis + "\n" +
            "27:2026-11-29T10:15:30.123456Z\n" +
            "2:u1\n3:ada\n12:user.created\n7:AppUser\n2:42\n0:\n15:{\"email\":\"a@b\"}\n";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expectedContent)));

        Assert.Equal(expected, AuditHash.Compute(Sample()));
    }

    [Fact]
    public void Moving_text_between_fields_changes_the_hash()
    {
        var original = Sample();
        var shifted = Sample();
        shifted.UserId = "u";
        shifted.UserName = "1ada";

        Assert.NotEqual(AuditHash.Compute(original), AuditHash.Compute(shifted));
    }

    [Fact]
    public void Each_field_is_covered()
    {
        var baseline = AuditHash.Compute(Sample());
        var changes = new Action<AuditRecord>[]
        {
            r => r.Timestamp = r.Timestamp.AddTicks(10), r => r.UserId = null, r => r.UserName = "eve",
            r => r.Action = "user.deleted", r => r.EntityType = "JobRun", r => r.EntityId = "43",
            r => r.Before = "{}", r => r.After = null, r => r.PreviousHash = new string('1', 64),
        };
        foreach (var change in changes)
        {
            var record = Sample();
            change(record);
            Assert.NotEqual(baseline, AuditHash.Compute(record));
        }
    }

    [Fact]
    public void Stored_precision_drops_sub_microsecond_ticks()
    {
        var time = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        Assert.Equal(1234560, AuditHash.ToStoredPrecision(time).Ticks % TimeSpan.TicksPerSecond);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WebApp.Domain.Auditing;

/// <summary>The SHA-256 of a record's content and its predecessor's hash.</summary>
public static class AuditHash
{
    /// <summary>The hash that the first record of the chain points back to.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(AuditRecord record)
    {
        // Each field is length-prefixed so that moving text between fields changes the hash.
        var content = new StringBuilder();
        foreach (var field in new[]
                 {
                     record.PreviousHash,
                     record.Timestamp.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
                     record.UserId ?? "", record.UserName, record.Action, record.EntityType, record.EntityId,
                     record.Before ?? "", record.After ?? "",
                 })
        {
            content.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString())));
    }

    /// <summary>PostgreSQL keeps microseconds; the hash must cover exactly what is stored.</summary>
    public static DateTime ToStoredPrecision(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
}

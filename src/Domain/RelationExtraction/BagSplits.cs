using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WebApp.Domain.RelationExtraction;

/// <summary>
/// Assigns an entity pair to train (70 %), dev (10 %) or test (20 %) by a stable hash of the unordered pair,
/// so a pair and its reverse always land together and a re-import never moves a pair.
/// </summary>
public static class BagSplits
{
    public static DataSplit For(string headKbId, string tailKbId)
    {
        var (first, second) = string.CompareOrdinal(headKbId, tailKbId) <= 0 ? (headKbId, tailKbId) : (tailKbId, headKbId);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{first}\u001f{second}"));
        var bucket = BinaryPrimitives.ReadUInt32BigEndian(digest) % 100;
        return bucket switch
        {
            < 70 => DataSplit.Train,
            < 80 => DataSplit.Dev,
            _ => DataSplit.Test,
        };
    }
}

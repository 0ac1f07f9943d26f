using System.Security.Cryptography;

namespace ProServ.Migration.Svn;

/// <summary>The checksums of dump records, and the one message a mismatch gives.</summary>
internal static class Checksum
{
    public static string Md5(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(MD5.HashData(content));

    public static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());

    public static bool Matches(string got, string? expected) => string.Equals(got, expected, StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws the dump error for <paramref name="what"/> (text, delta base, copy source) of the record's path unless <paramref name="got"/> is <paramref name="expected"/>.</summary>
    public static void Require(string got, string expected, string algorithm, string what, DumpRecord record, int revision)
    {
        if (!Matches(got, expected))
        {
            throw new DumpFormatException($"checksum mismatch for {what} of \"{record.Get("Node-path")}\": expected {algorithm} {expected}, got {got}", revision, record.Offset);
        }
    }
}

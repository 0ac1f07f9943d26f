using System.Buffers;
using System.Security.Cryptography;
using ProServ.Migration.Git;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>
/// Turns the text of a node record (full text or svndiff delta) into a blob: checks its
/// checksums, keeps it in the content store when deltas may read it later, and writes it.
/// Returns the blob's mark; contents never stay in memory beyond one record.
/// </summary>
internal sealed class BlobWriter(DumpReader reader, Revision revision, Marks marks, FastImportWriter writer, ConversionReport report,
    string? rereadPath, long streamDeltasFrom) : IDisposable
{
    private static readonly byte[] LinkPrefix = "link "u8.ToArray();
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);

    /// <summary>Contents by mark, kept for dumps with deltas (format 3).</summary>
    public ContentStore? Store { get; private set; }

    public ContentStore EnsureStore() => Store ??= new ContentStore();

    /// <summary>A full text: streamed from the dump to every stream (symlinks are read whole to drop "link ").</summary>
    public int FullText(DumpRecord record, bool special)
    {
        var length = record.TextLength;
        // svnadmin load checks MD5, and hand-edited dumps may carry a stale SHA-1. SHA-1 is much
        // faster here (hardware), so it is checked first when the text can be re-read from the
        // dump file to settle a SHA-1 mismatch with MD5.
        var expectedMd5 = record.Get("Text-content-md5");
        var expectedSha1 = record.Get("Text-content-sha1");
        var useSha1 = expectedSha1 is not null && (expectedMd5 is null || rereadPath is not null);
        var textOffset = reader.Offset;
        if (special)
        {
            var data = new byte[length];
            reader.ReadTextExact(data);
            if (revision.Emit && expectedMd5 is not null)
            {
                Checksum.Require(Checksum.Md5(data), expectedMd5, "MD5", "text", record, revision.Number);
            }
            return Bytes(data, special);
        }
        var mark = marks.Take();
        var store = Store;
        if (!revision.Emit)
        {
            if (store is null)
            {
                reader.ReadText(static _ => { });
            }
            else
            {
                store.Begin(mark);
                reader.ReadText(store.Append);
                store.End();
            }
            return mark;
        }
        store?.Begin(mark);
        var hash = useSha1 ? _sha1 : expectedMd5 is not null ? _md5 : null;
        writer.BeginBlob(mark, length);
        reader.ReadText(chunk =>
        {
            hash?.AppendData(chunk);
            store?.Append(chunk);
            writer.BlobData(chunk);
        });
        store?.End();
        writer.EndBlob();
        report.Blobs++;
        if (hash is not null)
        {
            var got = Checksum.Hex(hash);
            if (useSha1 && expectedMd5 is not null && !Checksum.Matches(got, expectedSha1))
            {
                // A stale SHA-1 is fine when the MD5 svnadmin checks matches.
                Checksum.Require(Md5FromDumpFile(textOffset, length), expectedMd5, "MD5", "text", record, revision.Number);
                return mark;
            }
            Checksum.Require(got, useSha1 ? expectedSha1! : expectedMd5!, useSha1 ? "SHA-1" : "MD5", "text", record, revision.Number);
        }
        return mark;
    }

    private string Md5FromDumpFile(long offset, long length)
    {
        using var f = new FileStream(rereadPath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        f.Position = offset;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buf = new byte[1 << 16];
        while (length > 0)
        {
            var n = f.Read(buf, 0, (int)Math.Min(buf.Length, length));
            if (n == 0)
            {
                break;
            }
            md5.AppendData(buf, 0, n);
            length -= n;
        }
        return Checksum.Hex(md5);
    }

    /// <summary>A delta against <paramref name="baseFile"/> (null: against nothing); large ones are applied from disk.</summary>
    public int Delta(DumpRecord record, SvnFile? baseFile, bool special)
    {
        var store = EnsureStore();
        var baseLength = baseFile is null ? 0 : store.LengthOf(baseFile.Mark);
        if (!special && (record.TextLength > streamDeltasFrom || baseLength > streamDeltasFrom))
        {
            return DeltaStreamed(record, baseFile, baseLength);
        }
        var delta = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, record.TextLength));
        try
        {
            reader.ReadTextExact(delta.AsSpan(0, (int)record.TextLength));
            var baseContent = baseFile is null ? [] : store.Get(baseFile.Mark);
            if (record.Get("Text-delta-base-md5") is { } baseMd5)
            {
                Checksum.Require(Checksum.Md5(baseContent), baseMd5, "MD5", "delta base", record, revision.Number);
            }
            var result = new ArrayBufferWriter<byte>(Math.Max(256, baseContent.Length + 256));
            try
            {
                SvnDiff.Apply(delta.AsSpan(0, (int)record.TextLength), baseContent, result);
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                throw CorruptDelta(record, e);
            }
            if (record.Get("Text-content-md5") is { } md5)
            {
                Checksum.Require(Checksum.Md5(result.WrittenSpan), md5, "MD5", "text", record, revision.Number);
            }
            return Bytes(result.WrittenSpan, special);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(delta);
        }
    }

    private DumpFormatException CorruptDelta(DumpRecord record, Exception e) =>
        new($"corrupt text delta for \"{record.Get("Node-path")}\": {e.Message}", revision.Number, record.Offset);

    /// <summary>
    /// Large texts of format-3 dumps: the delta is spooled to a temporary file and applied window
    /// by window, reading the base from the content file, so a file's size never becomes memory.
    /// </summary>
    private int DeltaStreamed(DumpRecord record, SvnFile? baseFile, long baseLength)
    {
        var store = Store!;
        using var spool = TempFiles.CreateStream("proserv-delta-", 1 << 16);
        reader.ReadText(spool.Write);
        if (record.Get("Text-delta-base-md5") is { } baseMd5)
        {
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                for (long at = 0; at < baseLength; at += chunk.Length)
                {
                    var n = (int)Math.Min(chunk.Length, baseLength - at);
                    store.ReadAt(baseFile!.Mark, at, chunk.AsSpan(0, n));
                    md5.AppendData(chunk, 0, n);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            Checksum.Require(Checksum.Hex(md5), baseMd5, "MD5", "delta base", record, revision.Number);
        }
        var mark = marks.Take();
        var expectedMd5 = record.Get("Text-content-md5");
        var hash = expectedMd5 is not null ? _md5 : null;
        var emit = revision.Emit;
        try
        {
            spool.Position = 0;
            var length = SvnDiff.TargetLength(spool);
            spool.Position = 0;
            store.Begin(mark);
            if (emit)
            {
                writer.BeginBlob(mark, length);
            }
            SvnDiff.Apply(spool, baseLength, (offset, dest) => store.ReadAt(baseFile!.Mark, offset, dest), window =>
            {
                hash?.AppendData(window);
                store.Append(window);
                if (emit)
                {
                    writer.BlobData(window);
                }
            });
            store.End();
            if (emit)
            {
                writer.EndBlob();
            }
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw CorruptDelta(record, e);
        }
        if (emit)
        {
            report.Blobs++;
        }
        if (hash is not null)
        {
            Checksum.Require(Checksum.Hex(hash), expectedMd5!, "MD5", "text", record, revision.Number);
        }
        return mark;
    }

    /// <summary>A text already in memory; a symlink's content loses SVN's "link " prefix in git.</summary>
    public int Bytes(ReadOnlySpan<byte> raw, bool special)
    {
        var mark = marks.Take();
        Store?.Put(mark, raw);
        if (!revision.Emit)
        {
            return mark;
        }
        writer.Blob(mark, special && raw.StartsWith(LinkPrefix) ? raw[LinkPrefix.Length..] : raw);
        report.Blobs++;
        return mark;
    }

    public void Dispose()
    {
        Store?.Dispose();
        _md5.Dispose();
        _sha1.Dispose();
    }
}

using System.Buffers;
using System.IO.Compression;
using System.Text;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Tests.Svn;

public sealed class DeltaTests : IDisposable
{
    private readonly Sandbox _s = new();

    public void Dispose() => _s.Dispose();

    private static void Sh(string dir, string script) => Sandbox.Run("sh", "-c", $"cd '{dir}' && {script}");

    /// <summary>A new repository and a checkout of it: (repository, working copy).</summary>
    private (string Repo, string Wc) NewRepository()
    {
        var repo = Path.Combine(_s.Dir, "repo");
        var wc = Path.Combine(_s.Dir, "wc");
        Sandbox.Run("svnadmin", "create", repo);
        Sandbox.Run("svn", "checkout", "-q", "file://" + repo, wc);
        return (repo, wc);
    }

    /// <summary>
    /// Dumps <paramref name="repo"/> with full texts and with deltas, converts both (the delta one
    /// verified), checks they give the same refs and returns the delta conversion's report and repository.
    /// </summary>
    private async Task<(ConversionReport Report, string GitDir)> ConvertFullAndDeltasAsync(string repo, long streamDeltasFrom = 8 << 20)
    {
        var full = Path.Combine(_s.Dir, "full.dump");
        var deltas = Path.Combine(_s.Dir, "deltas.dump");
        Sandbox.Run("sh", "-c", $"svnadmin dump -q '{repo}' > '{full}' && svnadmin dump -q --deltas '{repo}' > '{deltas}'");
        Assert.Contains("Text-delta: true", await File.ReadAllTextAsync(deltas, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var a = Path.Combine(_s.Dir, "a.git");
        var b = Path.Combine(_s.Dir, "b.git");
        var conv = new SvnToGitConverter(TimeProvider.System);
        await conv.ConvertAsync(new SvnConversionOptions { Source = full, OutputGitDir = a }, TestContext.Current.CancellationToken);
        var report = await conv.ConvertAsync(new SvnConversionOptions { Source = deltas, OutputGitDir = b, Verify = true, StreamDeltasFrom = streamDeltasFrom }, TestContext.Current.CancellationToken);
        Assert.Equal(Sandbox.Run("git", "-C", a, "for-each-ref"), Sandbox.Run("git", "-C", b, "for-each-ref"));
        Assert.All(report.Verify!, v => Assert.True(v.Match, v.Ref + ": " + string.Join("; ", v.Differences)));
        return (report, b);
    }

    [Fact]
    public async Task DeltaDump_FromRealSvnadmin_GivesTheSameGitHistoryAsAFullTextDump()
    {
        var (repo, wc) = NewRepository();
        Sh(wc, "mkdir trunk branches tags && seq 1 3000 > trunk/a.txt && printf '#!/bin/sh\\necho hi\\n' > trunk/run.sh && ln -s a.txt trunk/link "
            + "&& head -c 5000 /dev/urandom > trunk/bin.dat && svn add -q trunk branches tags && svn propset -q svn:executable '*' trunk/run.sh && svn commit -q -m init");
        Sh(wc, "seq 1 3100 | sed 's/7/seven/' > trunk/a.txt && head -c 300 /dev/urandom >> trunk/bin.dat && svn commit -q -m edit");
        Sh(wc, "svn copy -q ^/trunk ^/branches/b -m branch && svn update -q");
        Sh(wc, "echo tail >> branches/b/a.txt && echo 'echo bye' >> branches/b/run.sh && svn commit -q -m 'edit on branch'");
        Sh(wc, "svn mv -q trunk/a.txt trunk/moved.txt && echo more >> trunk/moved.txt && svn commit -q -m 'move and edit'");
        Sh(wc, "svn copy -q ^/trunk ^/tags/v1 -m tag");

        var (report, gitDir) = await ConvertFullAndDeltasAsync(repo);

        Assert.Equal(3, report.Verify!.Count);
        Assert.Contains("120000 blob", Sandbox.Run("git", "-C", gitDir, "ls-tree", "main", "link"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeTexts_AreAppliedWindowByWindow_WithTheSameResult()
    {
        var (repo, wc) = NewRepository();
        // About 700 KB of text and 300 KB of binary: several 100 KB svndiff windows each.
        Sh(wc, "mkdir trunk branches tags && seq 1 120000 > trunk/big.txt && head -c 300000 /dev/urandom > trunk/big.bin "
            + "&& svn add -q trunk branches tags && svn commit -q -m init");
        Sh(wc, "seq 1 125000 | sed 's/^9/nine/' > trunk/big.txt && head -c 1000 /dev/urandom | dd of=trunk/big.bin bs=1 seek=150000 conv=notrunc 2>/dev/null && svn commit -q -m edit");
        Sh(wc, "svn copy -q ^/trunk ^/branches/b -m branch && svn update -q && sed -i 's/^1/one/' branches/b/big.txt && svn commit -q -m 'edit on branch'");

        // Every text goes through the windowed path.
        var (_, gitDir) = await ConvertFullAndDeltasAsync(repo, streamDeltasFrom: 1);

        Assert.StartsWith("one", Sandbox.Run("git", "-C", gitDir, "show", "b:big.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeText_WithAWrongBaseChecksum_IsAnErrorNamingTheRevision()
    {
        var (repo, wc) = NewRepository();
        Sh(wc, "mkdir trunk && seq 1 50000 > trunk/big.txt && svn add -q trunk && svn commit -q -m init && seq 2 50001 > trunk/big.txt && svn commit -q -m edit");
        var deltas = Path.Combine(_s.Dir, "deltas.dump");
        Sandbox.Run("sh", "-c", $"svnadmin dump -q --deltas '{repo}' > '{deltas}'");
        var text = await File.ReadAllBytesAsync(deltas, TestContext.Current.CancellationToken);
        var latin = Encoding.Latin1.GetString(text);
        var at = latin.IndexOf("Text-delta-base-md5: ", StringComparison.Ordinal) + "Text-delta-base-md5: ".Length;
        text[at] = (byte)(text[at] == (byte)'0' ? '1' : '0');
        await File.WriteAllBytesAsync(deltas, text, TestContext.Current.CancellationToken);

        var e = await Assert.ThrowsAsync<DumpFormatException>(() => new SvnToGitConverter(TimeProvider.System).ConvertAsync(
            new SvnConversionOptions { Source = deltas, OutputGitDir = _s.GitDir, StreamDeltasFrom = 1 }, TestContext.Current.CancellationToken));
        Assert.Equal(2, e.Revision);
        Assert.Contains("delta base", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepositoryPathSource_IsDumpedByTheEngine()
    {
        var (repo, wc) = NewRepository();
        Sh(wc, "mkdir trunk branches tags && echo x > trunk/x && svn add -q trunk branches tags && svn commit -q -m init");
        var report = await new SvnToGitConverter(TimeProvider.System).ConvertAsync(
            new SvnConversionOptions { Source = "file://" + repo, OutputGitDir = _s.GitDir, Verify = true }, TestContext.Current.CancellationToken);

        Assert.Equal("x\n", _s.Show("main", "x"));
        Assert.True(Assert.Single(report.Verify!).Match);
    }

    private static byte[] Varint(long v)
    {
        var bytes = new List<byte> { (byte)(v & 0x7f) };
        while ((v >>= 7) > 0)
        {
            bytes.Insert(0, (byte)(0x80 | (v & 0x7f)));
        }
        return [.. bytes];
    }

    private static byte[] Window(int version, byte[] instructions, byte[] newData, Func<byte[], byte[]> compress, int tgtLen)
    {
        byte[] Section(byte[] raw) => version == 0 ? raw : [.. Varint(raw.Length), .. compress(raw)];
        var ins = Section(instructions);
        var nd = Section(newData);
        return [.. Varint(0), .. Varint(0), .. Varint(tgtLen), .. Varint(ins.Length), .. Varint(nd.Length), .. ins, .. nd];
    }

    [Fact]
    public void Svndiff1_ZlibCompressedSections_AreApplied()
    {
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("hello svndiff1 ", 20)));
        static byte[] Zlib(byte[] raw)
        {
            using var ms = new MemoryStream();
            using (var z = new ZLibStream(ms, CompressionLevel.Optimal))
            {
                z.Write(raw);
            }
            return ms.ToArray();
        }
        // One "new data" instruction with an explicit length.
        byte[] instructions = [0x80, .. Varint(text.Length)];
        var delta = (byte[])[(byte)'S', (byte)'V', (byte)'N', 1, .. Window(1, instructions, text, Zlib, text.Length)];
        var outBuf = new ArrayBufferWriter<byte>();
        SvnDiff.Apply(delta, [], outBuf);
        Assert.Equal(text, outBuf.WrittenSpan.ToArray());
    }

    [Fact]
    public void Svndiff2_Lz4CompressedSections_AreApplied()
    {
        // LZ4 block for "abcabcabcabc!": literals "abc", match offset 3 length 9, then literal "!".
        byte[] Lz4(byte[] raw) => raw.SequenceEqual("abcabcabcabc!"u8.ToArray())
            ? [0x35, (byte)'a', (byte)'b', (byte)'c', 3, 0, 0x10, (byte)'!']
            : raw;
        var text = "abcabcabcabc!"u8.ToArray();
        byte[] instructions = [(byte)(0x80 | text.Length)];
        var delta = (byte[])[(byte)'S', (byte)'V', (byte)'N', 2, .. Window(2, instructions, text, Lz4, text.Length)];
        var outBuf = new ArrayBufferWriter<byte>();
        SvnDiff.Apply(delta, [], outBuf);
        Assert.Equal(text, outBuf.WrittenSpan.ToArray());
    }

    [Fact]
    public void Svndiff0_CopiesFromSourceAndTarget()
    {
        var source = "0123456789"u8.ToArray();
        // copy 4 bytes from source offset 2 ("2345"), then 6 bytes from target offset 0 (overlapping: "234523"), then new "!".
        byte[] instructions = [0x04, 2, 0x46, 0, 0x81];
        var window = (byte[])[.. Varint(0), .. Varint(10), .. Varint(11), .. Varint(instructions.Length), .. Varint(1), .. instructions, (byte)'!'];
        var delta = (byte[])[(byte)'S', (byte)'V', (byte)'N', 0, .. window];
        var outBuf = new ArrayBufferWriter<byte>();
        SvnDiff.Apply(delta, source, outBuf);
        Assert.Equal("2345234523!", Encoding.ASCII.GetString(outBuf.WrittenSpan));
    }
}

using System.Text;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Tests.Svn;

public sealed class BadInputTests : IDisposable
{
    private readonly Sandbox _s = new();

    public void Dispose() => _s.Dispose();

    private static DumpBuilder Good()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "one\n");
        d.Rev("a", "r3").File("trunk/f", "two\n", action: "change");
        return d;
    }

    private async Task<DumpFormatException> FailsAsync(byte[] dump)
    {
        var path = _s.Write("bad.dump", dump);
        // Into an existing empty repository, which must stay as it was (a repository the run
        // created itself is removed instead).
        Sandbox.Run("git", "init", "-q", "--bare", _s.GitDir);
        var e = await Assert.ThrowsAsync<DumpFormatException>(() =>
            new SvnToGitConverter(TimeProvider.System).ConvertAsync(new SvnConversionOptions { Source = path, OutputGitDir = _s.GitDir }, TestContext.Current.CancellationToken));
        Assert.Contains("revision", e.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset", e.Message, StringComparison.Ordinal);
        Assert.Empty(_s.Refs());
        Assert.Empty(Directory.GetFiles(_s.GitDir, "fast_import_crash_*"));
        Assert.False(File.Exists(Path.Combine(_s.GitDir, "proserv-svn", "state.json")));
        return e;
    }

    [Fact]
    public async Task TruncatedDump_NamesRevisionAndOffset_AndWritesNoRefs()
    {
        var bytes = Good().Bytes();
        var cut = bytes.AsSpan(0, bytes.Length - 6).ToArray();
        var e = await FailsAsync(cut);
        Assert.Equal(3, e.Revision);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChecksumMismatch_IsAnError()
    {
        var text = Good().ToString().Replace("two\n", "TWO\n", StringComparison.Ordinal);
        var e = await FailsAsync(Encoding.UTF8.GetBytes(text));
        Assert.Equal(3, e.Revision);
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sha1Mismatch_WithoutMd5_IsAnError()
    {
        var text = Good().ToString();
        var i = text.LastIndexOf("Text-content-md5:", StringComparison.Ordinal);
        var j = text.IndexOf('\n', i);
        text = text[..i] + "Text-content-sha1: 0000000000000000000000000000000000000000" + text[j..];
        var e = await FailsAsync(Encoding.UTF8.GetBytes(text));
        Assert.Contains("SHA-1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaleSha1WithCorrectMd5_IsAcceptedLikeSvnadminLoad()
    {
        var text = Good().ToString();
        var i = text.LastIndexOf("Text-content-md5:", StringComparison.Ordinal);
        text = text[..i] + "Text-content-sha1: 0000000000000000000000000000000000000000\n" + text[i..];
        var path = _s.Write("stale.dump", Encoding.UTF8.GetBytes(text));
        await new SvnToGitConverter(TimeProvider.System).ConvertAsync(new SvnConversionOptions { Source = path, OutputGitDir = _s.GitDir }, TestContext.Current.CancellationToken);
        Assert.Equal("two", _s.Show("main", "f").Trim());
    }

    [Fact]
    public async Task Md5MismatchWithSha1Present_IsAnError()
    {
        var text = Good().ToString();
        var i = text.LastIndexOf("Text-content-md5: ", StringComparison.Ordinal) + "Text-content-md5: ".Length;
        text = text[..i] + "0123456789abcdef0123456789abcdef" + text[(i + 32)..];
        var j = text.LastIndexOf("Text-content-md5:", StringComparison.Ordinal);
        text = text[..j] + "Text-content-sha1: 0000000000000000000000000000000000000000\n" + text[j..];
        var e = await FailsAsync(Encoding.UTF8.GetBytes(text));
        Assert.Contains("MD5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentLengthThatLies_IsAnError()
    {
        var text = Good().ToString();
        var i = text.LastIndexOf("Content-length: 4", StringComparison.Ordinal);
        var e = await FailsAsync(Encoding.UTF8.GetBytes(text[..i] + "Content-length: 40" + text[(i + 17)..]));
        Assert.Equal(3, e.Revision);
    }

    [Fact]
    public async Task CopyFromMissingPath_IsAnError()
    {
        var d = Good();
        d.Rev("a", "bad copy").Copy("branches/x", "trunk/nope", 2);
        var e = await FailsAsync(d.Bytes());
        Assert.Equal(4, e.Revision);
        Assert.Contains("trunk/nope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevisionsOutOfOrder_AreAnError()
    {
        var text = Good().ToString().Replace("Revision-number: 3", "Revision-number: 2", StringComparison.Ordinal);
        var e = await FailsAsync(Encoding.UTF8.GetBytes(text));
        Assert.Contains("out of order", e.Message, StringComparison.Ordinal);
        Assert.True(e.Offset > 100);
    }

    [Fact]
    public async Task NotADump_IsAnError()
    {
        var e = await FailsAsync(Encoding.UTF8.GetBytes("hello world\n"));
        Assert.Equal(-1, e.Revision);
    }

    [Fact]
    public async Task RefNamesThatCannotCoexist_AreRefusedBeforeAnyRefIsWritten()
    {
        var d = Good();
        d.Rev("a", "branch").Copy("branches/x", "trunk", 3);
        var rules = Layout.LayoutRules.Parse("match ^trunk/\n  branch a\nend match\nmatch ^branches/([^/]+)/\n  branch a/\\1\nend match\n");
        var e = await Assert.ThrowsAsync<MigrationException>(() => _s.ConvertAsync(d, o => o with { Layout = rules }));
        Assert.Contains("refs/heads/a/x", e.Message, StringComparison.Ordinal);
        Assert.Empty(_s.Refs());
    }

    [Fact]
    public async Task FailedResume_LeavesPreviousConversionUntouched()
    {
        var first = Good();
        await _s.ConvertAsync(first);
        var before = _s.Git("for-each-ref").Trim();

        var longer = Good();
        longer.Rev("a", "r4").File("trunk/f", "three\n", action: "change");
        longer.Rev("a", "r5").File("trunk/g", "four\n");
        var bytes = longer.Bytes();
        var path = _s.Write("longer.dump", bytes.AsSpan(0, bytes.Length - 8).ToArray());
        await Assert.ThrowsAsync<DumpFormatException>(() =>
            new SvnToGitConverter(TimeProvider.System).ConvertAsync(new SvnConversionOptions { Source = path, OutputGitDir = _s.GitDir, Resume = true }, TestContext.Current.CancellationToken));
        Assert.Equal(before, _s.Git("for-each-ref").Trim());

        // And it is still resumable with the complete dump.
        await _s.ConvertAsync(longer, o => o with { Resume = true }, "complete.dump");
        Assert.Equal("four", _s.Show("main", "g").Trim());
    }
}

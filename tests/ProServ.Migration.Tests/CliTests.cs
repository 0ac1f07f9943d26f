using System.CommandLine;
using ProServ.Cli.Commands.Migrate;

namespace ProServ.Migration.Tests;

public sealed class CliTests : IDisposable
{
    private readonly Sandbox _s = new();

    public void Dispose() => _s.Dispose();

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var root = new RootCommand { MigrateCommand.Create(TimeProvider.System) };
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = o, Error = e }, TestContext.Current.CancellationToken);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public async Task MigrateSvn_ConvertsVerifiesAndWritesReport()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        var dump = _s.Write("r.dump", d.Bytes());
        var report = Path.Combine(_s.Dir, "report.json");
        var (code, output, _) = await RunAsync("migrate", "svn", dump, "--out", _s.GitDir, "--verify", "--report", report, "--trunk-branch", "trunk", "--revision-trailer");

        Assert.Equal(0, code);
        Assert.Contains("verify match", output, StringComparison.Ordinal);
        Assert.Contains("\"refs/heads/trunk\"", await File.ReadAllTextAsync(report, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("SVN-Revision: 2", _s.Git("log", "-1", "--format=%B", "trunk"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateSvn_MissingAuthors_ExitsNonZeroListingThem()
    {
        var d = new DumpBuilder();
        d.Rev("zed", "r2").File("trunk/f", "1\n");
        var dump = _s.Write("r.dump", d.Bytes());
        var authors = _s.Write("authors.txt", "alice = Alice <a@x>\n"u8.ToArray());
        var (code, _, err) = await RunAsync("migrate", "svn", dump, "--out", _s.GitDir, "--authors", authors);

        Assert.Equal(1, code);
        Assert.Contains("zed", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateSvn_WithoutOut_IsAnError()
    {
        var (code, _, err) = await RunAsync("migrate", "svn", "x.dump");
        Assert.NotEqual(0, code);
        Assert.Contains("--out", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateSvn_BadDump_ExitsOneWithRevisionAndOffset()
    {
        var dump = _s.Write("r.dump", "SVN-fs-dump-format-version: 2\n\nRevision-number: 1\nProp-content-length: 99\nContent-length: 99\n\nK 3\n"u8.ToArray());
        var (code, _, err) = await RunAsync("migrate", "svn", dump, "--out", _s.GitDir);
        Assert.Equal(1, code);
        Assert.Contains("byte offset", err, StringComparison.Ordinal);
    }
}

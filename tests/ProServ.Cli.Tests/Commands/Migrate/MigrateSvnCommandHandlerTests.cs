using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using ProServ.Cli.Commands.Migrate;
using ProServ.Migration;

namespace ProServ.Cli.Tests.Commands.Migrate;

public sealed class MigrateSvnCommandHandlerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proserv-cli-svn-").FullName;
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);
    private readonly List<SvnConversionOptions> _converted = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathIn(string name) => Path.Combine(_dir, name);

    private string WriteFile(string name, string text)
    {
        File.WriteAllText(PathIn(name), text);
        return PathIn(name);
    }

    /// <summary>A handler whose conversion only records its options and answers <paramref name="report"/>.</summary>
    private MigrateSvnCommandHandler Recording(ConversionReport? report = null, TimeProvider? time = null, bool showProgress = false, Action<SvnConversionOptions>? during = null) =>
        new(_out, _err, time ?? TimeProvider.System, showProgress, name => _env.GetValueOrDefault(name), (options, _) =>
        {
            _converted.Add(options);
            during?.Invoke(options);
            return Task.FromResult(report ?? new ConversionReport());
        });

    private MigrateSvnCommandHandler Real() => new(_out, _err, TimeProvider.System, showProgress: false, name => _env.GetValueOrDefault(name));

    private MigrateSvnCommandHandler Throwing(Exception e) =>
        new(_out, _err, TimeProvider.System, showProgress: false, name => _env.GetValueOrDefault(name), (_, _) => Task.FromException<ConversionReport>(e));

    [Fact]
    public async Task Options_AreMappedOneToOne()
    {
        var authors = WriteFile("authors.txt", "alice = Alice Liddell <alice@example.test>\nbob = Bob <bob@example.test>\n");
        var args = new MigrateSvnCommandArgs("/srv/svn/project")
        {
            Out = "relative.git",
            TrunkBranch = "trunk",
            Authors = authors,
            Resume = true,
            Verify = true,
            KeepDeleted = true,
            NoGitignore = true,
            RevisionTrailer = true,
            EmptyDirs = true,
        };

        var code = await Recording().HandleAsync(args, Ct);

        Assert.Equal(MigrateSvnCommandHandler.ExitOk, code);
        var options = Assert.Single(_converted);
        Assert.Equal("/srv/svn/project", options.Source);
        Assert.Equal(Path.GetFullPath("relative.git"), options.OutputGitDir);
        Assert.Null(options.StreamFile);
        Assert.Equal("trunk", options.TrunkBranch);
        Assert.Equal(["^trunk/", "^branches/([^/]+)/", "^tags/([^/]+)/"], options.Layout!.Rules.Select(r => r.Pattern.ToString()));
        Assert.Equal("trunk", options.Layout.Rules[0].Branch);
        Assert.Equal(2, options.Authors!.Count);
        Assert.True(options.Authors.TryGet("alice", out var alice));
        Assert.Equal(("Alice Liddell", "alice@example.test"), alice);
        Assert.True(options.Resume);
        Assert.True(options.Verify);
        Assert.True(options.KeepDeleted);
        Assert.True(options.NoGitignore);
        Assert.True(options.RevisionTrailer);
        Assert.True(options.EmptyDirs);
        Assert.Null(options.Progress);
    }

    [Fact]
    public async Task Options_LeftOut_AreTheDefaults()
    {
        await Recording().HandleAsync(new MigrateSvnCommandArgs("r.dump") { Stream = "out.fi" }, Ct);

        var options = Assert.Single(_converted);
        Assert.Null(options.OutputGitDir);
        Assert.Equal("out.fi", options.StreamFile);
        Assert.Equal("main", options.TrunkBranch);
        Assert.Equal("main", options.Layout!.Rules[0].Branch);
        Assert.Equal(3, options.Layout.Rules.Count);
        Assert.Null(options.Authors);
        Assert.False(options.Resume || options.Verify || options.KeepDeleted || options.NoGitignore || options.RevisionTrailer || options.EmptyDirs);
    }

    [Fact]
    public async Task Layout_Root_IsOneBranchNamedAfterTrunk()
    {
        await Recording().HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = "o.git", Layout = "root", TrunkBranch = "dev" }, Ct);

        var rule = Assert.Single(Assert.Single(_converted).Layout!.Rules);
        Assert.Equal("^", rule.Pattern.ToString());
        Assert.Equal("dev", rule.Branch);
    }

    [Fact]
    public async Task Rules_File_WinsOverLayout()
    {
        var rules = WriteFile("rules.txt", "match ^project/trunk/\n  branch main\nend match\n");

        await Recording().HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = "o.git", Layout = "root", Rules = rules }, Ct);

        var rule = Assert.Single(Assert.Single(_converted).Layout!.Rules);
        Assert.Equal("^project/trunk/", rule.Pattern.ToString());
    }

    [Fact]
    public async Task WithoutOutOrStream_IsAnErrorAndNothingRuns()
    {
        var code = await Recording().HandleAsync(new MigrateSvnCommandArgs("r.dump"), Ct);

        Assert.Equal(MigrateSvnCommandHandler.ExitError, code);
        Assert.Empty(_converted);
        Assert.Equal("error: --out GITDIR (or --stream FILE) is required\n", _err.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task AuthorsFile_Malformed_IsAnErrorNamingTheLineAndNothingRuns()
    {
        var authors = WriteFile("authors.txt", "alice = Alice <a@example.test>\nbob\n");

        var code = await Recording().HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = PathIn("o.git"), Authors = authors }, Ct);

        Assert.Equal(1, code);
        Assert.Empty(_converted);
        Assert.Equal("error: authors line 2: expected 'svnuser = Full Name <email>'\n", _err.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task AuthorsFile_Missing_IsAnError()
    {
        var code = await Recording().HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = PathIn("o.git"), Authors = PathIn("missing.txt") }, Ct);

        Assert.Equal(1, code);
        Assert.Empty(_converted);
        Assert.Equal($"error: Could not find file '{PathIn("missing.txt")}'.\n", _err.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task RulesFile_Malformed_IsAnError()
    {
        var rules = WriteFile("rules.txt", "branch main\n");

        var code = await Recording().HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = PathIn("o.git"), Rules = rules }, Ct);

        Assert.Equal(1, code);
        Assert.Empty(_converted);
        Assert.StartsWith("error: rules line 1: expected 'match REGEX'", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DumpFile_Missing_IsAnErrorAndWritesNoRepository()
    {
        var code = await Real().HandleAsync(new MigrateSvnCommandArgs(PathIn("missing.dump")) { Out = PathIn("o.git") }, Ct);

        Assert.Equal(1, code);
        Assert.Equal($"error: source {PathIn("missing.dump")} does not exist\n", _err.ToString().ReplaceLineEndings("\n"));
        Assert.Empty(_out.ToString());
    }

    [Fact]
    public async Task ConversionRefused_PrintsTheReasonAndWithDebugTheStackTrace()
    {
        var plain = await Throwing(new MigrationException("authors missing from the authors file: zed")).HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = "o.git" }, Ct);
        Assert.Equal(1, plain);
        Assert.Equal("error: authors missing from the authors file: zed\n", _err.ToString().ReplaceLineEndings("\n"));

        _err.GetStringBuilder().Clear();
        _env["PROSERV_DEBUG"] = "1";
        var debug = await Throwing(new MigrationException("authors missing from the authors file: zed")).HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = "o.git" }, Ct);
        Assert.Equal(1, debug);
        Assert.Contains("ProServ.Migration.MigrationException: authors missing", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_SaysTheRefsWereNotUpdated()
    {
        var code = await Throwing(new OperationCanceledException()).HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = "o.git" }, Ct);

        Assert.Equal(1, code);
        Assert.Equal("cancelled; the target repository's refs were not updated\n", _err.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Summary_AndVerifyLines_AreOneLineEach_AndAMismatchExitsThree()
    {
        var report = new ConversionReport
        {
            FirstRevision = 1,
            LastRevision = 42,
            Commits = 40,
            Refs = [new("", "refs/heads/main", "branch", "trunk", 42, ""), new("", "refs/tags/v1", "tag", "tags/v1", 30, "")],
            Warnings = ["tag v1 was modified"],
            Seconds = 1.5,
            Verify =
            [
                new("refs/heads/main", "trunk", 42, true, []),
                new("refs/tags/v1", "tags/v1", 30, false, ["a.txt: content differs", "b.txt: missing in git"]),
            ],
        };

        var code = await Recording(report).HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = "o.git", Verify = true }, Ct);

        Assert.Equal(MigrateSvnCommandHandler.ExitVerifyMismatch, code);
        Assert.Equal("""
            converted r1..r42: 40 commits, 2 refs, 1 warnings in 1.5 s
            verify match    refs/heads/main (trunk@42)
            verify MISMATCH refs/tags/v1 (tags/v1@30): a.txt: content differs; b.txt: missing in git

            """.ReplaceLineEndings("\n"), _out.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Verify_AllMatching_ExitsZero()
    {
        var report = new ConversionReport { Verify = [new("refs/heads/main", "trunk", 3, true, [])] };

        Assert.Equal(0, await Recording(report).HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = "o.git", Verify = true }, Ct));
    }

    [Fact]
    public async Task Report_IsWrittenAsIndentedCamelCaseJson()
    {
        var report = new ConversionReport { Source = "r.dump", LastRevision = 3, Refs = [new("", "refs/heads/main", "branch", "trunk", 3, "")] };

        await Recording(report).HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = "o.git", Report = PathIn("report.json") }, Ct);

        var text = await File.ReadAllTextAsync(PathIn("report.json"), Ct);
        Assert.Contains("\n  \"lastRevision\": 3,", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("refs/heads/main", doc.RootElement.GetProperty("refs")[0].GetProperty("ref").GetString());
    }

    [Fact]
    public async Task Progress_OnATerminal_IsOneLineRedrawnAtMostFourTimesASecondAndClearedAtTheEnd()
    {
        var clock = new FakeTimeProvider();
        var code = await Recording(time: clock, showProgress: true, during: options =>
        {
            options.Progress!.Report(new ConversionProgress(1, 10, 0, null));
            clock.Advance(TimeSpan.FromSeconds(1));
            options.Progress.Report(new ConversionProgress(5, 10, 0, null));
            clock.Advance(TimeSpan.FromMilliseconds(100));
            options.Progress.Report(new ConversionProgress(6, 10, 0, null));
            clock.Advance(TimeSpan.FromSeconds(1));
            options.Progress.Report(new ConversionProgress(8, null, 800, 1000));
        }).HandleAsync(new MigrateSvnCommandArgs("r.dump") { Out = "o.git" }, Ct);

        Assert.Equal(0, code);
        var first = "r5/10 (50 %), 5 rev/s, ETA 00:00:01";
        var second = "r8 (80 %), 4 rev/s, ETA 00:00:00";
        Assert.Equal("\r" + first + "\r" + second.PadRight(first.Length) + "\r" + new string(' ', second.Length) + "\r", _err.ToString());
    }

    [Fact]
    public async Task TinyDump_ConvertsToARepositoryThatVerifies()
    {
        var dump = PathIn("r.dump");
        new SvnDump().Revision("alice", "first").File("trunk/readme.txt", "hello\n").Revision("bob", "second").File("trunk/readme.txt", "hello again\n", action: "change").WriteTo(dump);
        var git = PathIn("out.git");

        var code = await Real().HandleAsync(new MigrateSvnCommandArgs(dump) { Out = git, Verify = true, RevisionTrailer = true, Report = PathIn("report.json") }, Ct);

        Assert.True(code == 0, _err.ToString());
        // r1 only adds the layout's empty directories, which git does not record: two commits.
        var lines = _out.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("converted r0..r3: 2 commits, 1 refs, 0 warnings in ", lines[0], StringComparison.Ordinal);
        Assert.Equal("verify match    refs/heads/main (trunk@3)", lines[1]);
        Assert.Equal("hello again\n", await GitAsync(git, "show", "main:readme.txt"));
        Assert.Equal("second\n\nSVN-Revision: 3", (await GitAsync(git, "log", "-1", "--format=%B", "main")).TrimEnd());
        Assert.True(File.Exists(PathIn("report.json")));
    }

    [Fact]
    public async Task TinyDump_ToAStream_WritesFastImportCommands()
    {
        var dump = PathIn("r.dump");
        new SvnDump().Revision("alice", "first").File("trunk/readme.txt", "hello\n").WriteTo(dump);

        var code = await Real().HandleAsync(new MigrateSvnCommandArgs(dump) { Stream = PathIn("out.fi") }, Ct);

        Assert.True(code == 0, _err.ToString());
        var stream = await File.ReadAllTextAsync(PathIn("out.fi"), Ct);
        Assert.Contains("commit refs/heads/main\n", stream, StringComparison.Ordinal);
        Assert.Contains("hello\n", stream, StringComparison.Ordinal);
    }

    private static async Task<string> GitAsync(string gitDir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--git-dir=" + gitDir);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync(Ct);
        var output = await p.StandardOutput.ReadToEndAsync(Ct);
        await p.WaitForExitAsync(Ct);
        Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {await error}");
        return output;
    }
}

using ProServ.Migration.Layout;

namespace ProServ.Migration.Tests.Conversion;

public sealed class ResumeAndVerifyTests : IDisposable
{
    private readonly Sandbox _s = new();

    public void Dispose() => _s.Dispose();

    private static DumpBuilder History(int extra)
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n").Dir("trunk/d", new() { ["svn:ignore"] = "*.o" });
        d.Rev("b", "branch").Copy("branches/b", "trunk", 2);
        d.Rev("a", "tag").Copy("tags/t1", "trunk", 2);
        if (extra > 0)
        {
            d.Rev("a", "r5").File("trunk/f", "2\n", action: "change").File("branches/b/g", "g\n");
            d.Rev("c", "r6").File("tags/t1/x", "tag fix\n");
            d.Rev("a", "merge").Dir("trunk", new() { ["svn:mergeinfo"] = "/branches/b:3-6" }, "change").File("trunk/g", "g\n");
            d.Rev("a", "drop b").Delete("branches/b");
        }
        return d;
    }

    [Fact]
    public async Task Resume_ContinuesAndGivesTheSameCommitsAsOneRun()
    {
        await _s.ConvertAsync(History(0), name: "part.dump");
        var report = await _s.ConvertAsync(History(1), o => o with { Resume = true, KeepDeleted = false }, "full.dump");
        Assert.Equal(5, report.FirstRevision);
        Assert.Equal(8, report.LastRevision);

        using var whole = new Sandbox();
        await whole.ConvertAsync(History(1));
        Assert.Equal(whole.Git("for-each-ref", "--format=%(refname) %(objectname)"), _s.Git("for-each-ref", "--format=%(refname) %(objectname)"));
        Assert.Contains("refs/heads/tags/t1 commit", _s.Refs());
    }

    [Fact]
    public async Task ResumeWithNothingNew_ChangesNothing()
    {
        await _s.ConvertAsync(History(1));
        var before = _s.Git("for-each-ref");
        var report = await _s.ConvertAsync(History(1), o => o with { Resume = true }, "again.dump");
        Assert.Equal(0, report.Commits);
        Assert.Equal(before, _s.Git("for-each-ref"));
    }

    [Fact]
    public async Task SecondRunWithoutResume_IsRefused()
    {
        await _s.ConvertAsync(History(0));
        await Assert.ThrowsAsync<MigrationException>(() => _s.ConvertAsync(History(1), name: "again.dump"));
    }

    [Fact]
    public async Task Verify_ReportsEveryRefAsMatch()
    {
        var report = await _s.ConvertAsync(History(1), o => o with { Verify = true, KeepDeleted = true });
        Assert.NotNull(report.Verify);
        Assert.Equal(report.Refs.Count, report.Verify.Count);
        Assert.All(report.Verify, v => Assert.True(v.Match, v.Ref + ": " + string.Join("; ", v.Differences)));
        Assert.Contains(report.Verify, v => v.Ref.StartsWith("refs/deleted/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_CatchesATreeThatDiffersFromSvn()
    {
        var d = History(0);
        var report = await _s.ConvertAsync(d);
        // Simulate an engine bug: main's tip gets a changed file and an extra one.
        var tree = _s.Git("rev-parse", "main^{tree}").Trim();
        var blob = Sandbox.Run("sh", "-c", $"printf wrong | git -C '{_s.GitDir}' hash-object -w --stdin").Trim();
        var index = Path.Combine(_s.Dir, "index");
        Sandbox.Run("sh", "-c", $"GIT_INDEX_FILE='{index}' git -C '{_s.GitDir}' read-tree {tree} && GIT_INDEX_FILE='{index}' git -C '{_s.GitDir}' update-index --add --cacheinfo 100644,{blob},f --cacheinfo 100755,{blob},extra");
        var newTree = Sandbox.Run("sh", "-c", $"GIT_INDEX_FILE='{index}' git -C '{_s.GitDir}' write-tree").Trim();
        var commit = Sandbox.Run("git", "-C", _s.GitDir, "commit-tree", newTree, "-p", "main", "-m", "bad").Trim();
        _s.Git("update-ref", "refs/heads/main", commit);

        var repo = Path.Combine(_s.Dir, "svnrepo");
        Sandbox.Run("svnadmin", "create", repo);
        Sandbox.Run("sh", "-c", $"svnadmin load -q '{repo}' < '{Path.Combine(_s.Dir, "repo.dump")}'");
        var results = await SvnGitVerifier.VerifyAsync(repo, [], report.Refs, _ => _s.GitDir, TestContext.Current.CancellationToken);

        var main = Assert.Single(results, r => r.Ref == "refs/heads/main");
        Assert.False(main.Match);
        Assert.Contains(main.Differences, x => x.StartsWith("f:", StringComparison.Ordinal));
        Assert.Contains(main.Differences, x => x.StartsWith("extra:", StringComparison.Ordinal));
        Assert.All(results.Where(r => r.Ref != "refs/heads/main"), r => Assert.True(r.Match));
    }

    [Fact]
    public async Task RulesFile_SplitsRepositories_WithPrefixAndIgnore()
    {
        var d = new DumpBuilder(standardLayout: false);
        d.Rev("a", "layout").Dir("app").Dir("app/trunk").Dir("app/branches").Dir("lib").Dir("lib/trunk").Dir("junk");
        d.Rev("a", "content").File("app/trunk/main.c", "m\n").File("lib/trunk/lib.c", "l\n").File("junk/big.iso", "iso\n").File("stray.txt", "s\n");
        d.Rev("a", "app branch").Copy("app/branches/rel", "app/trunk", 2);
        var rules = LayoutRules.Parse("""
            # two repositories out of one SVN repository
            match ^app/trunk/
              repository app
              branch main
            end match
            match ^app/branches/([^/]+)/
              repository app
              branch release/\1
            end match
            match ^lib/trunk/
              repository lib
              branch main
              prefix src
            end match
            match ^junk/
              action ignore
            end match
            """);
        var report = await _s.ConvertAsync(d, o => o with { Layout = rules });

        var app = Path.Combine(_s.GitDir, "app.git");
        var lib = Path.Combine(_s.GitDir, "lib.git");
        Assert.Equal("m\n", Sandbox.Run("git", "-C", app, "show", "main:main.c"));
        Assert.Equal("m\n", Sandbox.Run("git", "-C", app, "show", "release/rel:main.c"));
        Assert.Equal("l\n", Sandbox.Run("git", "-C", lib, "show", "main:src/lib.c"));
        Assert.Equal(["stray.txt"], report.UnmatchedPaths);
    }

    [Fact]
    public void RulesFile_Errors_NameTheLine()
    {
        var e = Assert.Throws<FormatException>(() => LayoutRules.Parse("match ^a/\n  colour blue\nend match\n"));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => LayoutRules.Parse("match ^a/\n  branch x\n"));
    }

    [Fact]
    public void RulesFile_FirstMatchWins_AndRespectsRevisionRange()
    {
        var rules = LayoutRules.Parse("match ^old/\n  branch legacy\n  max-revision 10\nend match\nmatch ^([^/]+)/\n  branch \\1\nend match\n");
        Assert.Equal("refs/heads/legacy", rules.Classify("old/x", 5)!.Ref);
        Assert.Equal("refs/heads/old", rules.Classify("old/x", 11)!.Ref);
        Assert.Equal("x", rules.Classify("old/x", 11)!.RelativePath);
    }
}

using ProServ.Migration;

namespace ProServ.Migration.Tests.Conversion;

public sealed class ConversionTests : IDisposable
{
    private readonly Sandbox _s = new();

    public void Dispose() => _s.Dispose();

    [Fact]
    public async Task AddUnderMissingDirectory_IsAnErrorNamingRevisionAndOffset()
    {
        var d = new DumpBuilder();
        d.Rev("alice", "first file").File("trunk/a.txt", "one\n");
        d.Rev("bob", "second").File("trunk/dir/b.txt", "b\n");
        var e = await Assert.ThrowsAsync<ProServ.Migration.Svn.DumpFormatException>(() => _s.ConvertAsync(d));
        Assert.Equal(3, e.Revision);
        Assert.True(e.Offset > 0);
    }

    [Fact]
    public async Task TrunkRevisions_BecomeCommitsOnMain()
    {
        var d = new DumpBuilder();
        d.Rev("alice", "first file", "2021-03-04T05:06:07.123456Z").File("trunk/a.txt", "one\n");
        d.Rev("bob", "second", "2021-03-05T00:00:00.000000Z").File("trunk/a.txt", "two\n", action: "change").Dir("trunk/dir").File("trunk/dir/b.txt", "b\n");
        var report = await _s.ConvertAsync(d);

        Assert.Equal(["refs/heads/main commit"], _s.Refs());
        Assert.Equal("second", _s.Subject("main"));
        Assert.Equal("first file", _s.Subject("main~1"));
        Assert.Equal($"bob <bob@{DumpBuilder.Uuid}> 1614902400 +0000", _s.Git("log", "-1", "--format=%an <%ae> %at %ad", "--date=format:%z", "main").Trim().Replace(" +0000 +0000", " +0000", StringComparison.Ordinal));
        Assert.Equal("1614834367", _s.Git("log", "-1", "--format=%at", "main~1").Trim());
        Assert.Equal(["100644 a.txt", "100644 dir/b.txt"], _s.Tree("main"));
        Assert.Equal("two", _s.Show("main", "a.txt").Trim());
        Assert.Equal(2, report.Commits);
        Assert.Equal("ref: refs/heads/main", (await File.ReadAllTextAsync(Path.Combine(_s.GitDir, "HEAD"), TestContext.Current.CancellationToken)).Trim());
    }

    [Fact]
    public async Task BranchCopiedFromOlderRevision_HasTheCommitOfThatRevisionAsParent()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        var r2 = d.Revision;
        d.Rev("a", "r3").File("trunk/f", "2\n", action: "change");
        d.Rev("a", "branch from r2").Copy("branches/old", "trunk", r2);
        d.Rev("a", "work on branch").File("branches/old/g", "g\n");
        await _s.ConvertAsync(d);

        var r2Commit = _s.Git("rev-parse", "main~1").Trim();
        Assert.Equal([r2Commit], _s.Parents("old~1"));
        Assert.Equal("branch from r2", _s.Subject("old~1"));
        Assert.Equal("1", _s.Show("old", "f").Trim());
        Assert.Equal(["100644 f", "100644 g"], _s.Tree("old"));
    }

    [Fact]
    public async Task BranchCopiedFromSubdirectory_ContainsOnlyThatSubtree_AndHasParent()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").Dir("trunk/lib").File("trunk/lib/x.c", "x\n").File("trunk/readme", "r\n");
        d.Rev("a", "branch lib").Copy("branches/lib-only", "trunk/lib", d.Revision - 1);
        await _s.ConvertAsync(d);

        Assert.Equal(["100644 x.c"], _s.Tree("lib-only"));
        Assert.Equal([_s.Git("rev-parse", "main").Trim()], _s.Parents("lib-only"));
    }

    [Fact]
    public async Task RevisionTouchingTwoBranches_BecomesOneCommitPerBranch()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        d.Rev("a", "branch").Copy("branches/b", "trunk", d.Revision - 1);
        d.Rev("a", "both").File("trunk/f", "t\n", action: "change").File("branches/b/f", "b\n", action: "change");
        await _s.ConvertAsync(d);

        Assert.Equal("both", _s.Subject("main"));
        Assert.Equal("both", _s.Subject("b"));
        Assert.Equal("t", _s.Show("main", "f").Trim());
        Assert.Equal("b", _s.Show("b", "f").Trim());
        Assert.Equal("2", _s.Git("rev-list", "--count", "main").Trim());
    }

    [Fact]
    public async Task TagNeverModified_IsAnnotatedTagOnTheSourceCommit()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        d.Rev("carol", "Tag 1.0").Copy("tags/1.0", "trunk", d.Revision - 1);
        d.Rev("a", "later").File("trunk/f", "2\n", action: "change");
        var report = await _s.ConvertAsync(d);

        Assert.Contains("refs/tags/1.0 tag", _s.Refs());
        Assert.Equal(_s.Git("rev-parse", "main~1").Trim(), _s.Git("rev-parse", "1.0^{commit}").Trim());
        Assert.Contains("Tag 1.0", _s.Git("cat-file", "tag", "1.0"), StringComparison.Ordinal);
        Assert.Contains("tagger carol", _s.Git("cat-file", "tag", "1.0"), StringComparison.Ordinal);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public async Task TagModifiedAfterCreation_BecomesBranch_AndReportWarns()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        d.Rev("a", "tag").Copy("tags/v2", "trunk", d.Revision - 1);
        d.Rev("a", "fix tag").File("tags/v2/f", "fixed\n", action: "change");
        var report = await _s.ConvertAsync(d);

        Assert.Contains("refs/heads/tags/v2 commit", _s.Refs());
        Assert.DoesNotContain(_s.Refs(), r => r.StartsWith("refs/tags/", StringComparison.Ordinal));
        Assert.Equal("fixed", _s.Show("tags/v2", "f").Trim());
        Assert.Contains(report.Warnings, w => w.Contains("v2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeletedBranch_IsRemoved_OrKeptUnderRefsDeleted()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        d.Rev("a", "branch").Copy("branches/gone", "trunk", d.Revision - 1);
        d.Rev("a", "work").File("branches/gone/f", "w\n", action: "change");
        d.Rev("a", "drop").Delete("branches/gone");
        await _s.ConvertAsync(d);
        Assert.Equal(["refs/heads/main commit"], _s.Refs());

        using var s2 = new Sandbox();
        await s2.ConvertAsync(d, o => o with { KeepDeleted = true });
        Assert.Contains("refs/deleted/r5/heads/gone commit", s2.Refs());
        Assert.Equal("w", s2.Show("refs/deleted/r5/heads/gone", "f").Trim());
    }

    [Fact]
    public async Task DeletedBranchReAdded_StartsFreshHistoryFromItsNewSource()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        d.Rev("a", "branch").Copy("branches/b", "trunk", d.Revision - 1);
        d.Rev("a", "on b").File("branches/b/old", "o\n");
        d.Rev("a", "drop b").Delete("branches/b");
        d.Rev("a", "trunk moves").File("trunk/f", "2\n", action: "change");
        d.Rev("a", "b again").Copy("branches/b", "trunk", d.Revision - 1);
        await _s.ConvertAsync(d);

        Assert.Equal(["100644 f"], _s.Tree("b"));
        Assert.Equal([_s.Git("rev-parse", "main").Trim()], _s.Parents("b"));
        Assert.Equal("2", _s.Git("rev-list", "--count", "b~1").Trim());
    }

    [Fact]
    public async Task MoveReplaceAndCopyWithChangeInOneRevision_GiveTheSvnTree()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").Dir("trunk/d").File("trunk/d/x", "x\n").File("trunk/y", "y\n");
        var r2 = d.Revision;
        d.Rev("a", "move d to e").Copy("trunk/e", "trunk/d", r2).Delete("trunk/d");
        d.Rev("a", "replace y with a dir").Delete("trunk/y").Dir("trunk/y").File("trunk/y/inner", "i\n");
        d.Rev("a", "copy e to c and change it").Copy("trunk/c", "trunk/e", d.Revision - 1).File("trunk/c/x", "changed\n", action: "change").File("trunk/c/new", "n\n");
        d.Rev("a", "replace file by copy").Node("trunk/e/x", "file", "replace", null, null, ("trunk/y/inner", d.Revision - 1));
        await _s.ConvertAsync(d);

        Assert.Equal(["100644 c/new", "100644 c/x", "100644 e/x", "100644 y/inner"], _s.Tree("main"));
        Assert.Equal("changed", _s.Show("main", "c/x").Trim());
        Assert.Equal("i", _s.Show("main", "e/x").Trim());
        Assert.Equal(["100644 e/x", "100644 y"], _s.Tree("main~3"));
    }

    [Fact]
    public async Task ExecutableAndSpecialProperties_BecomeModesAndSymlinks()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2")
            .File("trunk/run.sh", "#!/bin/sh\n", new() { ["svn:executable"] = "*" })
            .File("trunk/link", "link run.sh", new() { ["svn:special"] = "*" })
            .File("trunk/plain", "link run.sh");
        d.Rev("a", "drop exec").Node("trunk/run.sh", "file", "change", null, []);
        await _s.ConvertAsync(d);

        Assert.Equal(["120000 link", "100644 plain", "100644 run.sh"], _s.Tree("main"));
        Assert.Equal(["120000 link", "100644 plain", "100755 run.sh"], _s.Tree("main~1"));
        Assert.Equal("run.sh", _s.Show("main", "link"));
        Assert.Equal("link run.sh", _s.Show("main", "plain"));
    }

    [Fact]
    public async Task SvnIgnore_BecomesGitignoreInThatDirectory_UnlessDisabled()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").Dir("trunk/src", new() { ["svn:ignore"] = "*.o\nbuild\n" }).File("trunk/src/a.c", "a\n");
        d.Rev("a", "global").Dir("trunk", new() { ["svn:global-ignores"] = "*.tmp" }, "change");
        d.Rev("a", "unignore").Dir("trunk/src", [], "change");
        await _s.ConvertAsync(d);

        Assert.Equal("/*.o\n/build\n", _s.Show("main~2", "src/.gitignore"));
        Assert.Equal("*.tmp\n", _s.Show("main", ".gitignore"));
        Assert.DoesNotContain("100644 src/.gitignore", _s.Tree("main"));

        using var s2 = new Sandbox();
        await s2.ConvertAsync(d, o => o with { NoGitignore = true });
        Assert.DoesNotContain(s2.Tree("main"), l => l.EndsWith(".gitignore", StringComparison.Ordinal));
        Assert.Equal("1", s2.Git("rev-list", "--count", "main").Trim());
    }

    [Fact]
    public async Task Mergeinfo_WholeBranchMerged_IsMergeCommit_CherryPickIsNot()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n").File("trunk/g", "1\n");
        d.Rev("a", "branch").Copy("branches/feat", "trunk", d.Revision - 1); // r3
        d.Rev("a", "feat 1").File("branches/feat/f", "f1\n", action: "change"); // r4
        d.Rev("a", "feat 2").File("branches/feat/g", "g2\n", action: "change"); // r5
        d.Rev("a", "cherry-pick r5").Dir("trunk", new() { ["svn:mergeinfo"] = "/branches/feat:5" }, "change").File("trunk/g", "g2\n", action: "change"); // r6
        d.Rev("a", "merge all").Dir("trunk", new() { ["svn:mergeinfo"] = "/branches/feat:3-5" }, "change").File("trunk/f", "f1\n", action: "change"); // r7
        var report = await _s.ConvertAsync(d);

        Assert.Single(_s.Parents("main~1"));
        var parents = _s.Parents("main");
        Assert.Equal(2, parents.Length);
        Assert.Equal(_s.Git("rev-parse", "feat").Trim(), parents[1]);
        Assert.Equal(1, report.Merges);
    }

    [Fact]
    public async Task Mergeinfo_FromTrunkIntoBranch_NeedsOnlyRevisionsAfterTheForkPoint()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        d.Rev("a", "r3").File("trunk/f", "2\n", action: "change");
        d.Rev("a", "branch").Copy("branches/b", "trunk", 3); // r4
        d.Rev("a", "trunk r5").File("trunk/g", "g\n"); // r5
        d.Rev("a", "sync b").Dir("branches/b", new() { ["svn:mergeinfo"] = "/trunk:4-5" }, "change").Copy("branches/b/g", "trunk/g", 5, "file"); // r6
        await _s.ConvertAsync(d);

        Assert.Equal([_s.Git("rev-parse", "b~1").Trim(), _s.Git("rev-parse", "main").Trim()], _s.Parents("b"));
    }

    [Fact]
    public async Task TwoDirectoriesMappingToOneRef_AreBothKept_WithAWarning()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "trunk\n");
        d.Rev("a", "a branch called main").Copy("branches/main", "trunk", 2);
        d.Rev("a", "change it").File("branches/main/f", "branch\n", action: "change");
        var report = await _s.ConvertAsync(d);

        Assert.Equal("trunk", _s.Show("main", "f").Trim());
        Assert.Equal("branch", _s.Show("main_branches_main", "f").Trim());
        Assert.Contains(report.Warnings, w => w.Contains("branches/main", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Externals_AreListedInTheReport()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").Dir("trunk/vendor", new() { ["svn:externals"] = "lib https://example.com/svn/lib" });
        var report = await _s.ConvertAsync(d);

        var e = Assert.Single(report.Externals);
        Assert.Equal("trunk/vendor", e.Path);
        Assert.Contains("example.com", e.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorsFile_MapsNames()
    {
        var d = new DumpBuilder();
        d.Rev("alice", "r2").File("trunk/f", "1\n");
        await _s.ConvertAsync(d, o => o with { Authors = AuthorMap.Parse("alice = Alice Liddell <alice@example.com>\n") });

        Assert.Equal("Alice Liddell <alice@example.com>", _s.Git("log", "-1", "--format=%an <%ae>", "main").Trim());
    }

    [Fact]
    public async Task AuthorsFile_MissingNames_AreAllListed_AndNothingIsWritten()
    {
        var d = new DumpBuilder();
        d.Rev("bob", "r2").File("trunk/f", "1\n");
        d.Rev("carol", "r3").File("trunk/f", "2\n", action: "change");
        var e = await Assert.ThrowsAsync<MigrationException>(() => _s.ConvertAsync(d, o => o with { Authors = AuthorMap.Parse("dave = D <d@x>\n") }));

        Assert.Contains("alice", e.Message, StringComparison.Ordinal);
        Assert.Contains("bob", e.Message, StringComparison.Ordinal);
        Assert.Contains("carol", e.Message, StringComparison.Ordinal);
        // The output did not exist before the run: it does not exist after it.
        Assert.False(Directory.Exists(_s.GitDir));
    }

    [Fact]
    public async Task AuthorsFile_MissingNamesInAStreamedSource_AreAllListed_AndNoRefsAreWritten()
    {
        var d = new DumpBuilder();
        d.Rev("bob", "r2").File("trunk/f", "1\n");
        d.Rev("alice", "r3").File("trunk/f", "2\n", action: "change");
        d.Rev("carol", "r4").File("trunk/f", "3\n", action: "change");
        var path = Path.Combine(_s.Dir, "repo.dump.gz");
        await using (var f = File.Create(path))
        await using (var z = new System.IO.Compression.GZipStream(f, System.IO.Compression.CompressionLevel.Fastest))
        {
            await z.WriteAsync(d.Bytes(), TestContext.Current.CancellationToken);
        }
        var e = await Assert.ThrowsAsync<MigrationException>(() => new SvnToGitConverter(TimeProvider.System).ConvertAsync(
            new SvnConversionOptions { Source = path, OutputGitDir = _s.GitDir, Authors = AuthorMap.Parse("alice = A <a@x>\n") }, TestContext.Current.CancellationToken));

        Assert.Contains("bob, carol", e.Message, StringComparison.Ordinal);
        Assert.Empty(_s.Refs());
    }

    [Fact]
    public async Task EmptyDirs_AreKeptWithGitkeep_WhenAsked()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").Dir("trunk/empty").File("trunk/f", "1\n");
        d.Rev("a", "fill").File("trunk/empty/x", "x\n");
        await _s.ConvertAsync(d, o => o with { EmptyDirs = true });

        Assert.Contains("100644 empty/.gitkeep", _s.Tree("main~1"));
        Assert.DoesNotContain("100644 empty/.gitkeep", _s.Tree("main"));
    }

    [Fact]
    public async Task RevisionTrailer_IsAppended()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        await _s.ConvertAsync(d, o => o with { RevisionTrailer = true });

        Assert.Equal("r2\n\nSVN-Revision: 2", _s.Git("log", "-1", "--format=%B", "main").Trim());
    }

    [Fact]
    public async Task StreamOption_WritesFastImportStreamThatGitAccepts()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "1\n");
        var stream = Path.Combine(_s.Dir, "out.fi");
        await _s.ConvertAsync(d, o => o with { OutputGitDir = null, StreamFile = stream });

        var text = await File.ReadAllTextAsync(stream, TestContext.Current.CancellationToken);
        Assert.Contains("commit refs/heads/main", text, StringComparison.Ordinal);
        Assert.EndsWith("done\n", text, StringComparison.Ordinal);
        Sandbox.Run("git", "init", "-q", "--bare", _s.GitDir);
        Sandbox.Run("sh", "-c", $"git -C '{_s.GitDir}' fast-import --quiet < '{stream}'");
        Assert.Equal("1", _s.Show("main", "f").Trim());
    }

    [Fact]
    public async Task GzipDump_IsDetected()
    {
        var d = new DumpBuilder();
        d.Rev("a", "r2").File("trunk/f", "zipped\n");
        var path = Path.Combine(_s.Dir, "repo.dump.gz");
        await using (var f = File.Create(path))
        await using (var z = new System.IO.Compression.GZipStream(f, System.IO.Compression.CompressionLevel.Fastest))
        {
            await z.WriteAsync(d.Bytes(), TestContext.Current.CancellationToken);
        }
        await new SvnToGitConverter(TimeProvider.System).ConvertAsync(new SvnConversionOptions { Source = path, OutputGitDir = _s.GitDir }, TestContext.Current.CancellationToken);

        Assert.Equal("zipped", _s.Show("main", "f").Trim());
    }
}

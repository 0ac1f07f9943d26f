using System.Diagnostics;
using System.IO.Compression;

namespace ProServ.Migration.Tests.Conversion;

/// <summary>
/// Every kind of SOURCE is planned before converting (copy sources and authors known up front), so
/// all of them give the same commits, and past trees are held only while a later copy needs them.
/// </summary>
public sealed class SourcesAndMemoryTests : IDisposable
{
    private readonly Sandbox _s = new();

    public void Dispose() => _s.Dispose();

    private static DumpBuilder History()
    {
        var d = new DumpBuilder();
        d.Rev("alice", "r2").File("trunk/a.txt", "1\n").Dir("trunk/lib").File("trunk/lib/l.c", "l1\n");
        d.Rev("bob", "r3").File("trunk/a.txt", "2\n", action: "change");
        d.Rev("bob", "r4").File("trunk/a.txt", "3\n", action: "change");
        // From a non-tip revision, from a subdirectory, a pure tag, a delete and a re-add.
        d.Rev("carol", "branch from r2").Copy("branches/old", "trunk", 2);
        d.Rev("alice", "lib branch").Copy("branches/lib", "trunk/lib", 3);
        d.Rev("alice", "tag").Copy("tags/v1", "trunk", 5);
        d.Rev("bob", "work").File("branches/old/b.txt", "b\n");
        d.Rev("bob", "drop").Delete("branches/old");
        d.Rev("carol", "re-add from r8").Copy("branches/old", "branches/old", 8);
        return d;
    }

    private static string Refs(string gitDir) =>
        Sandbox.Run("git", "-C", gitDir, "for-each-ref", "--format=%(refname) %(objectname)");

    private async Task<ConversionReport> ConvertAsync(string source, string gitDir, AuthorMap? authors = null) =>
        await new SvnToGitConverter(TimeProvider.System).ConvertAsync(
            new SvnConversionOptions { Source = source, OutputGitDir = gitDir, Authors = authors }, TestContext.Current.CancellationToken);

    private string Repository(DumpBuilder d)
    {
        var repo = Path.Combine(_s.Dir, "svnrepo");
        Sandbox.Run("svnadmin", "create", repo);
        var dump = _s.Write("load.dump", d.Bytes());
        Sandbox.Run("sh", "-c", $"svnadmin load -q '{repo}' < '{dump}'");
        return repo;
    }

    [Fact]
    public async Task DumpFile_Gzip_StandardInput_AndRepository_GiveIdenticalCommits()
    {
        var d = History();
        var plain = _s.Write("h.dump", d.Bytes());
        var gz = Path.Combine(_s.Dir, "h.dump.gz");
        await using (var f = File.Create(gz))
        await using (var z = new GZipStream(f, CompressionLevel.Fastest))
        {
            await z.WriteAsync(d.Bytes(), TestContext.Current.CancellationToken);
        }

        await ConvertAsync(plain, Path.Combine(_s.Dir, "file.git"));
        await ConvertAsync(gz, Path.Combine(_s.Dir, "gz.git"));
        await ConvertAsync(Repository(d), Path.Combine(_s.Dir, "repo.git"));
        await RunCliAsync(gz, "-", Path.Combine(_s.Dir, "stdin.git"));

        var expected = Refs(Path.Combine(_s.Dir, "file.git"));
        Assert.Contains("refs/heads/old", expected, StringComparison.Ordinal);
        Assert.Contains("refs/heads/lib", expected, StringComparison.Ordinal);
        Assert.Contains("refs/tags/v1", expected, StringComparison.Ordinal);
        Assert.Equal(expected, Refs(Path.Combine(_s.Dir, "gz.git")));
        Assert.Equal(expected, Refs(Path.Combine(_s.Dir, "repo.git")));
        Assert.Equal(expected, Refs(Path.Combine(_s.Dir, "stdin.git")));
        // The re-added branch forks from r8's commit, the lib branch holds only the subdirectory.
        Assert.Equal("work", Sandbox.Run("git", "-C", Path.Combine(_s.Dir, "file.git"), "log", "-1", "--format=%s", "old~1").Trim());
        Assert.Equal(["100644 l.c"], Sandbox.Run("git", "-C", Path.Combine(_s.Dir, "file.git"), "ls-tree", "-r", "--full-tree", "lib")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0] + " " + l[(l.IndexOf('\t', StringComparison.Ordinal) + 1)..]));
    }

    /// <summary>Pipes <paramref name="input"/> into <c>proserv migrate svn -</c>.</summary>
    private static async Task RunCliAsync(string input, string source, string gitDir)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "proserv.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { cli, "migrate", "svn", source, "--out", gitDir })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        var ct = TestContext.Current.CancellationToken;
        using (var f = File.OpenRead(input))
        {
            await f.CopyToAsync(p.StandardInput.BaseStream, ct);
        }
        p.StandardInput.Close();
        await p.WaitForExitAsync(ct);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {await err} {await output}");
    }

    [Fact]
    public async Task RepositorySource_MissingAuthors_AreAllListedBeforeAnythingIsWritten()
    {
        var repo = Repository(History());
        var e = await Assert.ThrowsAsync<MigrationException>(() => ConvertAsync(repo, _s.GitDir, AuthorMap.Parse("alice = A <a@x>\n")));

        Assert.Contains("bob, carol", e.Message, StringComparison.Ordinal);
        Assert.Empty(_s.Refs());
    }

    private static DumpBuilder TagEveryTenRevisions(int revisions)
    {
        var d = new DumpBuilder();
        d.Rev("a", "import").File("trunk/f.txt", "0\n").Dir("trunk/src").File("trunk/src/s.c", "s\n");
        var tags = 0;
        while (d.Revision < revisions)
        {
            if (d.Revision % 10 == 0)
            {
                var from = d.Revision;
                d.Rev("a", "tag").Copy($"tags/t{++tags}", "trunk", from);
            }
            else
            {
                d.Rev("a", "edit").File("trunk/f.txt", $"{d.Revision}\n", action: "change");
            }
        }
        return d;
    }

    /// <summary>Into an existing (empty) repository, so the plan is read first, not beside the conversion.</summary>
    private async Task<ConversionReport> ConvertPlannedFirstAsync(string source, string gitDir)
    {
        Sandbox.Run("git", "init", "-q", "--bare", gitDir);
        return await ConvertAsync(source, gitDir);
    }

    [Fact]
    public async Task KeptTrees_DoNotGrowWithTheNumberOfRevisions()
    {
        var small = await ConvertPlannedFirstAsync(_s.Write("small.dump", TagEveryTenRevisions(50).Bytes()), Path.Combine(_s.Dir, "small.git"));
        var large = await ConvertPlannedFirstAsync(_s.Write("large.dump", TagEveryTenRevisions(1000).Bytes()), Path.Combine(_s.Dir, "large.git"));

        Assert.Equal(99, large.Refs.Count(r => r.Kind == "tag"));
        Assert.Equal(1, small.KeptTreesPeak);
        Assert.Equal(1, large.KeptTreesPeak);
    }

    [Fact]
    public async Task KeptTrees_AnOldSourceIsHeldUntilItsLastCopy()
    {
        var d = TagEveryTenRevisions(40);
        d.Rev("a", "late branch from r2").Copy("branches/late", "trunk", 2);
        var report = await ConvertPlannedFirstAsync(_s.Write("late.dump", d.Bytes()), _s.GitDir);

        // r2 stays while every tag's source comes and goes.
        Assert.Equal(2, report.KeptTreesPeak);
        Assert.Equal("0", _s.Show("late", "f.txt").Trim());
    }

    [Fact]
    public async Task SweepingTreesToDiskAfterEveryRevision_GivesTheSameCommits()
    {
        var d = History();
        d.Rev("alice", "props").File("trunk/run.sh", "#!/bin/sh\n", new() { ["svn:executable"] = "*" })
            .Node("trunk/link", "file", "add", "link a.txt"u8.ToArray(), new() { ["svn:special"] = "*" })
            .Dir("trunk/build", new() { ["svn:ignore"] = "*.o\n" });
        var props = d.Revision;
        d.Rev("bob", "feature").Copy("branches/f", "trunk", props);
        d.Rev("bob", "feature work").File("branches/f/new.txt", "n\n");
        d.Rev("alice", "merge f").Dir("trunk", new() { ["svn:mergeinfo"] = $"/branches/f:{props + 1}-{props + 2}" }, "change").File("trunk/new.txt", "n\n");
        var merged = d.Revision;
        d.Rev("carol", "tag 2").Copy("tags/v2", "trunk", merged);
        d.Rev("carol", "fix tag").File("tags/v2/a.txt", "tag fix\n", action: "change");
        for (var i = 0; i < 30; i++)
        {
            d.Rev("alice", "edit").File("trunk/lib/l.c", $"l{i}\n", action: "change");
        }
        d.Rev("bob", "late copy of the swept r6").Copy("branches/late", "trunk/lib", 6);
        var dump = _s.Write("sweep.dump", d.Bytes());

        var normal = await ConvertAsync(dump, Path.Combine(_s.Dir, "normal.git"));
        var swept = await new SvnToGitConverter(TimeProvider.System).ConvertAsync(
            new SvnConversionOptions { Source = dump, OutputGitDir = Path.Combine(_s.Dir, "swept.git"), SweepRevisions = 1 }, TestContext.Current.CancellationToken);

        Assert.Equal(Refs(Path.Combine(_s.Dir, "normal.git")), Refs(Path.Combine(_s.Dir, "swept.git")));
        Assert.Equal(normal.Warnings, swept.Warnings);
        Assert.Equal(1, swept.Merges);
        Assert.Equal("l1", Sandbox.Run("git", "-C", Path.Combine(_s.Dir, "swept.git"), "show", "late:l.c").Trim());
    }

    [Fact]
    public async Task DamagedRepository_IsAClearError_AndLeavesNothingBehind()
    {
        var repo = Repository(History());
        File.Delete(Path.Combine(repo, "db", "revs", "0", "6"));

        var e = await Assert.ThrowsAsync<MigrationException>(() => ConvertAsync(repo, _s.GitDir));

        Assert.Matches("svn(admin)? (log|dump) failed", e.Message);
        Assert.False(Directory.Exists(_s.GitDir));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), "proserv-svnadmin-*"));
    }

    [Fact]
    public async Task PlanArrivingLate_KeepsEveryTreeUntilThen_AndGivesTheSameCommits()
    {
        var d = TagEveryTenRevisions(300);
        d.Rev("a", "late branch from r2").Copy("branches/late", "trunk", 2);
        var dump = _s.Write("late.dump", d.Bytes());
        var normal = await ConvertPlannedFirstAsync(dump, Path.Combine(_s.Dir, "planned.git"));

        // The plan is held back until revision 150: tags up to there copy from trees kept in the meantime.
        var gate = new TaskCompletionSource();
        var report = await new SvnToGitConverter(TimeProvider.System).ConvertAsync(new SvnConversionOptions
        {
            Source = dump,
            OutputGitDir = Path.Combine(_s.Dir, "late.git"),
            PlanGate = gate.Task,
            SweepRevisions = 40,
            Progress = new SyncProgress(p =>
            {
                if (p.Revision == 150)
                {
                    gate.TrySetResult();
                }
            }),
        }, TestContext.Current.CancellationToken);

        Assert.True(gate.Task.IsCompleted);
        Assert.Equal(Refs(Path.Combine(_s.Dir, "planned.git")), Refs(Path.Combine(_s.Dir, "late.git")));
        // Planned first: r2 and the current tag's source; beside the conversion, no more than that
        // (fewer when the plan comes after the copies it would have kept trees for).
        Assert.Equal(2, normal.KeptTreesPeak);
        Assert.InRange(report.KeptTreesPeak, 0, 2);
    }

    /// <summary>Reports synchronously on the converter's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<ConversionProgress> report) : IProgress<ConversionProgress>
    {
        public void Report(ConversionProgress value) => report(value);
    }
}

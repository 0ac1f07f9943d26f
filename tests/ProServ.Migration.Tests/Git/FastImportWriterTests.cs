using ProServ.Migration.Git;

namespace ProServ.Migration.Tests.Git;

public sealed class FastImportWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("proserv-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private FastImportTarget Target(string name) => FastImportTarget.ToFile(name, Path.Combine(_dir, name.Length == 0 ? "default" : name));

    private string Stream(string name) => File.ReadAllText(Path.Combine(_dir, name.Length == 0 ? "default" : name));

    [Fact]
    public async Task EveryCommand_IsWrittenInFastImportSyntax()
    {
        var writer = new FastImportWriter();
        writer.Add("", Target(""));
        writer.FeatureDone();
        writer.Blob(1, "hi\n"u8);
        writer.BeginBlob(2, 4);
        writer.BlobData("ab"u8);
        writer.BlobData("cd"u8);
        writer.EndBlob();
        writer.Reset("", "refs/heads/main");
        writer.Commit("", "refs/heads/main", 3, new Signature("Ann", "ann@example.com", 1000), "log\n"u8, from: 0, merges: [], deleteAll: false,
            [FileChange.FromBlob("a.txt", "100644", 1), FileChange.InlineText(".gitignore", "100644", "/*.o\n"), FileChange.Deletion("say \"hi\"")]);
        writer.Commit("", "refs/heads/topic", 4, new Signature("Bob", "bob@example.com", 2000), "merge\n"u8, from: 3, merges: [2, 3], deleteAll: true, []);
        writer.Reset("", "refs/heads/tags/v1", fromMark: 3);
        writer.Reset("", "refs/deleted/r5/heads/topic", fromMark: 4, terminated: true);
        writer.Tag("", "v1", 3, new Signature("Cy", "cy@example.com", 3000), "release\n"u8);
        writer.DeleteRef("", "refs/heads/tags/v1", fromDisk: false);
        writer.DeleteRef("", "refs/heads/old", fromDisk: true);
        await writer.FinishAsync(TestContext.Current.CancellationToken);

        Assert.Equal("""
            feature done
            blob
            mark :1
            data 3
            hi

            blob
            mark :2
            data 4
            abcd
            reset refs/heads/main
            commit refs/heads/main
            mark :3
            author Ann <ann@example.com> 1000 +0000
            committer Ann <ann@example.com> 1000 +0000
            data 4
            log
            M 100644 :1 a.txt
            M 100644 inline .gitignore
            data 5
            /*.o

            D "say \"hi\""

            commit refs/heads/topic
            mark :4
            author Bob <bob@example.com> 2000 +0000
            committer Bob <bob@example.com> 2000 +0000
            data 6
            merge
            from :3
            merge :2
            merge :3
            deleteall

            reset refs/heads/tags/v1
            from :3
            reset refs/deleted/r5/heads/topic
            from :4

            tag v1
            from :3
            tagger Cy <cy@example.com> 3000 +0000
            data 8
            release

            reset refs/heads/tags/v1

            reset refs/heads/old
            from 0000000000000000000000000000000000000000

            done

            """.Replace("\r\n", "\n", StringComparison.Ordinal), Stream(""));
    }

    [Fact]
    public async Task Blobs_GoToEveryRepository_CommitsToTheirOwn()
    {
        var writer = new FastImportWriter();
        writer.Add("a", Target("a"));
        writer.Add("b", Target("b"));
        writer.Blob(1, "x"u8);
        writer.Commit("b", "refs/heads/main", 2, new Signature("Ann", "ann@example.com", 0), ""u8, 0, [], false, [FileChange.FromBlob("x", "100644", 1)]);
        await writer.FinishAsync(TestContext.Current.CancellationToken);

        Assert.Equal("blob\nmark :1\ndata 1\nx\ndone\n", Stream("a"));
        Assert.StartsWith("blob\nmark :1\ndata 1\nx\ncommit refs/heads/main\nmark :2\n", Stream("b"), StringComparison.Ordinal);
        Assert.Null(writer.Failed);
    }

    [Fact]
    public async Task AbortedStream_HasNoDone()
    {
        var writer = new FastImportWriter();
        writer.Add("", Target(""));
        writer.Blob(1, "x"u8);
        await writer.AbortAsync();
        Assert.Equal("blob\nmark :1\ndata 1\nx\n", Stream(""));
    }
}

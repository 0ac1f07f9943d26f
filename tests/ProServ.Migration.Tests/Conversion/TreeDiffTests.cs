using System.Collections.Immutable;
using ProServ.Migration.Conversion;
using ProServ.Migration.Git;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Tests.Conversion;

public sealed class TreeDiffTests
{
    private static ImmutableSortedDictionary<string, string> Props(params (string Key, string Value)[] props) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, props.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));

    private static SvnDir Dir(ImmutableSortedDictionary<string, string> props, params (string Name, SvnNode Node)[] children) =>
        new(children.Aggregate(SvnDir.NoChildren, (d, c) => d.Add(c.Name, c.Node)), props);

    [Fact]
    public void Changes_AreInNameOrder_WithTheGitignoreFirst()
    {
        var before = Dir(SvnNode.NoProps, ("a.txt", new SvnFile(2, SvnNode.NoProps)), ("gone", Dir(SvnNode.NoProps, ("x", new SvnFile(2, SvnNode.NoProps)))));
        var after = Dir(Props(("svn:ignore", "*.o\n build \n")), ("a.txt", new SvnFile(3, SvnNode.NoProps)),
            ("run.sh", new SvnFile(4, Props(("svn:executable", "*")))), ("sub", Dir(Props(("svn:global-ignores", "*.tmp")))));

        var changes = new TreeDiff(gitignore: true, emptyDirs: true, emptyBlobMark: 1).Between(before, after, "lib/");

        Assert.Equal(
        [
            FileChange.InlineText("lib/.gitignore", "100644", "/*.o\n/build\n"),
            FileChange.FromBlob("lib/a.txt", "100644", 3),
            FileChange.Deletion("lib/gone"),
            FileChange.FromBlob("lib/run.sh", "100755", 4),
            FileChange.InlineText("lib/sub/.gitignore", "100644", "*.tmp\n"),
            FileChange.FromBlob("lib/sub/.gitkeep", "100644", 1),
        ], changes);
    }

    [Fact]
    public void SameTree_HasNoChanges_AndIgnoresCanBeLeftOut()
    {
        var tree = Dir(Props(("svn:ignore", "*.o")), ("a", new SvnFile(2, SvnNode.NoProps)));

        Assert.Empty(new TreeDiff(true, false, 1).Between(tree, tree, ""));
        Assert.Equal([FileChange.FromBlob("a", "100644", 2)], new TreeDiff(gitignore: false, emptyDirs: false, 1).Between(null, tree, ""));
    }
}

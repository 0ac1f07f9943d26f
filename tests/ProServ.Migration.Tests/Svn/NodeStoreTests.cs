using System.Collections.Immutable;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Tests.Svn;

public sealed class NodeStoreTests
{
    private static SvnDir Dir(params (string Name, SvnNode Node)[] children) =>
        new(children.Aggregate(SvnDir.NoChildren, (d, c) => d.Add(c.Name, c.Node)), SvnNode.NoProps);

    [Fact]
    public void StoredTree_IsDroppedWhenUnused_AndReadBackUnchanged()
    {
        using var store = new NodeStore();
        var src = Dir(("main.c", new SvnFile(7, SvnNode.NoProps)), ("run.sh", new SvnFile(8, SvnNode.FileProps(true, false))), ("link", new SvnFile(9, SvnNode.FileProps(false, true))));
        var ignores = new SvnDir(SvnDir.NoChildren, SvnNode.NoProps.Add("svn:ignore", "*.o\nbuild\n"));
        var root = Dir(("src", src), ("build", ignores), ("empty", Dir()));

        store.Sweep([root]);
        Assert.NotEqual(0, root.StoredAt);
        Assert.True(src.IsLoaded);

        // Not used during the next period: dropped from memory at the next sweep.
        Assert.Equal(1, store.Sweep([root]));
        Assert.False(root.IsLoaded);

        var reloadedSrc = (SvnDir)root.Children["src"];
        Assert.NotSame(src, reloadedSrc);
        Assert.True(SvnNode.Same(src, reloadedSrc));
        Assert.False(SvnNode.Same(src, root.Children["build"]));
        Assert.Equal(["link", "main.c", "run.sh"], reloadedSrc.Children.Keys);
        Assert.Equal("100644", ((SvnFile)reloadedSrc.Children["main.c"]).GitMode);
        Assert.Equal("100755", ((SvnFile)reloadedSrc.Children["run.sh"]).GitMode);
        Assert.Equal("120000", ((SvnFile)reloadedSrc.Children["link"]).GitMode);
        Assert.Equal(8, ((SvnFile)reloadedSrc.Children["run.sh"]).Mark);
        Assert.Equal("*.o\nbuild\n", root.Children["build"].Props["svn:ignore"]);
        Assert.Empty(((SvnDir)root.Children["empty"]).Children);
    }

    [Fact]
    public void ChangingAStoredTree_StoresOnlyTheChangedPath()
    {
        using var store = new NodeStore();
        var root = Dir(("a", Dir(("f", new SvnFile(1, SvnNode.NoProps)))), ("b", Dir(("g", new SvnFile(2, SvnNode.NoProps)))));
        store.Sweep([root]);
        var writes = store.Writes;

        var changed = root.With("a/f", new SvnFile(3, SvnNode.NoProps));
        store.Sweep([changed]);

        Assert.Equal(writes + 2, store.Writes);
        Assert.True(SvnNode.Same(root.Children["b"], changed.Children["b"]));
        Assert.False(SvnNode.Same(root.Children["a"], changed.Children["a"]));
        Assert.Equal(3, ((SvnFile)changed.Lookup("a/f")!).Mark);
        Assert.Equal(1, ((SvnFile)root.Lookup("a/f")!).Mark);
    }
}

using ProServ.Migration.Conversion;
using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Tests.Conversion;

/// <summary>Branch and tag lifetimes without a dump: what a copy forks from, what a delete keeps.</summary>
public sealed class BranchTests
{
    private static readonly LayoutRules Layout = LayoutRules.Standard();
    private static readonly RevisionMeta Meta = new("ann", 0, "log");

    private static Branch Add(BranchTracker tracker, string root, int revision) =>
        tracker.Add(root, Layout.Classify(root, revision)!);

    [Fact]
    public void CommitAt_IsTheLastCommitAtOrBeforeTheRevision_AndNothingAfterADelete()
    {
        var tracker = new BranchTracker(Layout);
        var feature = Add(tracker, "branches/feature", 2);
        feature.Start(2, Meta, null);
        feature.Committed(2, 5, SvnDir.Empty, BranchEventKind.Create);
        feature.Committed(4, 9, SvnDir.Empty, BranchEventKind.Commit);
        Assert.Null(feature.End(6, keepDeleted: false));

        Assert.Null(feature.CommitAt(1));
        Assert.Equal(5, feature.CommitAt(3)?.Mark);
        Assert.Equal(9, feature.CommitAt(5)?.Mark);
        Assert.Null(feature.CommitAt(6));
        Assert.False(feature.Live);
        // A copy of a path inside the branch forks from the commit that held it.
        Assert.Equal(9, tracker.CommitHolding("branches/feature/src", 5)?.Event.Mark);
        Assert.Null(tracker.CommitHolding("branches/other", 5));
    }

    [Fact]
    public void ReCreatedBranch_InTheSameRevision_ForksFromItsNewCommit()
    {
        var tracker = new BranchTracker(Layout);
        var trunk = Add(tracker, "trunk", 1);
        trunk.Start(1, Meta, null);
        trunk.Committed(1, 3, SvnDir.Empty, BranchEventKind.Create);
        trunk.End(4, keepDeleted: false);
        trunk.Start(4, Meta, null);
        trunk.Committed(4, 7, SvnDir.Empty, BranchEventKind.Create);

        Assert.Equal(7, trunk.CommitAt(4)?.Mark);
        Assert.Equal(3, trunk.CommitAt(3)?.Mark);
    }

    [Fact]
    public void End_WithKeepDeleted_NamesTheRefThatKeepsTheLastCommit()
    {
        var tracker = new BranchTracker(Layout);
        var tag = Add(tracker, "tags/v1", 3);
        tag.Start(3, Meta, null);
        tag.Created(3, 8, SvnDir.Empty);
        var branch = Add(tracker, "branches/b", 3);
        branch.Start(3, Meta, null);

        Assert.Equal("refs/deleted/r5/tags/v1", tag.End(5, keepDeleted: true));
        Assert.Equal(["refs/deleted/r5/tags/v1"], tag.DeletedRefs);
        // Nothing committed yet: nothing to keep.
        Assert.Null(branch.End(5, keepDeleted: true));
        Assert.Equal("refs/heads/tags/v1", tag.CommitRef);
        Assert.False(tag.EverCommitted);
    }

    [Fact]
    public void Fork_InheritsWhatTheSourceHadMerged_AndMarksTheSourceMergedUpToTheCopy()
    {
        var tracker = new BranchTracker(Layout);
        var trunk = Add(tracker, "trunk", 1);
        trunk.Start(1, Meta, null);
        trunk.Committed(1, 2, SvnDir.Empty, BranchEventKind.Create);
        trunk.MergedUpTo = trunk.MergedUpTo.SetItem("branches/old", 1);
        var feature = Add(tracker, "branches/feature", 3);

        feature.Start(3, Meta, tracker.CommitHolding("trunk", 2));

        Assert.Equal(1, feature.MergedUpTo["branches/old"]);
        Assert.Equal(1, feature.MergedUpTo["trunk"]);
        Assert.Equal(3, feature.CreatedRevision);
    }

    [Fact]
    public void SecondDirectoryMappingToARef_GetsAnAlias_AndAWarning()
    {
        var tracker = new BranchTracker(Layout);
        var warnings = new List<string>();
        var main = tracker.Claim("trunk", Layout.Classify("trunk", 1)!, exists: true, warnings.Add);
        tracker.Add("trunk", main);
        var other = tracker.Claim("branches/main", Layout.Classify("branches/main", 2)!, exists: true, warnings.Add);

        Assert.Equal("refs/heads/main", main.Ref);
        Assert.Equal("refs/heads/main_branches_main", other.Ref);
        Assert.Equal(["branches/main maps to refs/heads/main, which trunk already uses: converted as refs/heads/main_branches_main"], warnings);
    }
}

using System.Collections.Immutable;
using ProServ.Migration.Conversion;
using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Tests.Conversion;

/// <summary>svn:mergeinfo to merge parents without a dump.</summary>
public sealed class MergeinfoTests
{
    private static readonly LayoutRules Layout = LayoutRules.Standard();
    private static readonly RevisionMeta Meta = new("ann", 0, "log");

    private static SvnDir WithMergeinfo(string? mergeinfo) =>
        new(SvnDir.NoChildren, mergeinfo is null ? SvnNode.NoProps : ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("svn:mergeinfo", mergeinfo)]));

    /// <summary>trunk (r1, mark 20) and branches/feature copied from it in r3 (mark 10), with commits in r4 (11) and r5 (12).</summary>
    private static (BranchTracker Tracker, Branch Trunk, Branch Feature) TrunkAndFeature()
    {
        var tracker = new BranchTracker(Layout);
        var trunk = tracker.Add("trunk", Layout.Classify("trunk", 1)!);
        trunk.Start(1, Meta, null);
        trunk.Committed(1, 20, WithMergeinfo(null), BranchEventKind.Create);
        var feature = tracker.Add("branches/feature", Layout.Classify("branches/feature", 3)!);
        feature.Start(3, Meta, tracker.CommitHolding("trunk", 2));
        feature.Committed(3, 10, SvnDir.Empty, BranchEventKind.Create);
        feature.Committed(4, 11, SvnDir.Empty, BranchEventKind.Commit);
        feature.Committed(5, 12, SvnDir.Empty, BranchEventKind.Commit);
        return (tracker, trunk, feature);
    }

    [Fact]
    public void Parse_ReadsRangesSingleRevisionsAndNonInheritableOnes()
    {
        var parsed = Mergeinfo.Parse("/branches/a:3-5,7*\n/trunk:2\n/broken\n");

        Assert.Equal([new RevisionRange(3, 5), new RevisionRange(7, 7)], parsed["branches/a"]);
        Assert.Equal([new RevisionRange(2, 2)], parsed["trunk"]);
        Assert.Equal(2, parsed.Count);
    }

    [Fact]
    public void MergeOfEveryCommit_IsAMergeOfTheNewest()
    {
        var (tracker, trunk, _) = TrunkAndFeature();

        var merges = Mergeinfo.FindMerges(trunk, WithMergeinfo("/branches/feature:3-5"), 6, Layout, tracker);

        Assert.Equal([12], merges);
        Assert.Equal(5, trunk.MergedUpTo["branches/feature"]);
    }

    [Fact]
    public void CherryPick_IsNoMerge()
    {
        var (tracker, trunk, _) = TrunkAndFeature();

        Assert.Empty(Mergeinfo.FindMerges(trunk, WithMergeinfo("/branches/feature:5"), 6, Layout, tracker));
        Assert.False(trunk.MergedUpTo.ContainsKey("branches/feature"));
    }

    [Fact]
    public void SecondMerge_NeedsOnlyTheCommitsSinceTheFirst()
    {
        var (tracker, trunk, feature) = TrunkAndFeature();
        var first = WithMergeinfo("/branches/feature:3-5");
        Assert.Equal([12], Mergeinfo.FindMerges(trunk, first, 6, Layout, tracker));
        trunk.Committed(6, 21, first, BranchEventKind.Commit);
        feature.Committed(7, 13, SvnDir.Empty, BranchEventKind.Commit);

        Assert.Equal([13], Mergeinfo.FindMerges(trunk, WithMergeinfo("/branches/feature:3-5,7"), 8, Layout, tracker));
    }

    [Fact]
    public void UnchangedMergeinfo_OrOneNamingNoBranch_MergesNothing()
    {
        var (tracker, trunk, _) = TrunkAndFeature();
        trunk.Committed(6, 21, WithMergeinfo("/branches/feature:3-5"), BranchEventKind.Commit);

        Assert.Empty(Mergeinfo.FindMerges(trunk, WithMergeinfo("/branches/feature:3-5"), 7, Layout, tracker));
        Assert.Empty(Mergeinfo.FindMerges(trunk, WithMergeinfo("/branches/feature:3-5\n/elsewhere/x:1-6"), 7, Layout, tracker));
    }

    [Fact]
    public void BranchWithoutCommitsOfItsOwn_MergesItsCreation()
    {
        var tracker = new BranchTracker(Layout);
        var trunk = tracker.Add("trunk", Layout.Classify("trunk", 1)!);
        trunk.Start(1, Meta, null);
        trunk.Committed(1, 20, WithMergeinfo(null), BranchEventKind.Create);
        var copy = tracker.Add("branches/copy", Layout.Classify("branches/copy", 2)!);
        copy.Start(2, Meta, null);
        copy.Committed(2, 30, SvnDir.Empty, BranchEventKind.Create);

        Assert.Equal([30], Mergeinfo.FindMerges(trunk, WithMergeinfo("/branches/copy:2"), 3, Layout, tracker));
    }
}

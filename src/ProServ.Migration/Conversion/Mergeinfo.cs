using System.Globalization;
using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>A range of revisions, both ends included.</summary>
internal readonly record struct RevisionRange(int Start, int End)
{
    public bool Contains(int revision) => Start <= revision && revision <= End;
}

/// <summary>svn:mergeinfo: which branches' commits a change of it merges, as git merge parents.</summary>
internal static class Mergeinfo
{
    /// <summary>Source path → merged ranges. Lines without ranges are left out; non-inheritable ranges (<c>*</c>) count.</summary>
    public static Dictionary<string, List<RevisionRange>> Parse(string? mergeinfo)
    {
        var result = new Dictionary<string, List<RevisionRange>>(StringComparer.Ordinal);
        if (mergeinfo is null)
        {
            return result;
        }
        foreach (var line in mergeinfo.Split('\n'))
        {
            var colon = line.LastIndexOf(':');
            if (colon <= 0)
            {
                continue;
            }
            var ranges = new List<RevisionRange>();
            foreach (var part in line[(colon + 1)..].Split(','))
            {
                var text = part.Trim().TrimEnd('*');
                var dash = text.IndexOf('-', StringComparison.Ordinal);
                if (dash < 0 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var one))
                {
                    ranges.Add(new RevisionRange(one, one));
                }
                else if (dash > 0 && int.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                         && int.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
                {
                    ranges.Add(new RevisionRange(start, end));
                }
            }
            if (ranges.Count > 0)
            {
                result[line[..colon].Trim('/')] = ranges;
            }
        }
        return result;
    }

    /// <summary>
    /// The commits <paramref name="branch"/> merges when its tree becomes <paramref name="newTree"/>
    /// at <paramref name="revision"/>: for each source branch whose mergeinfo grew, its newest
    /// commit, but only when every commit of it not yet merged is covered (otherwise it was a
    /// cherry-pick, which git cannot represent as a merge). Records what is merged in
    /// <see cref="Branch.MergedUpTo"/>.
    /// </summary>
    public static List<int> FindMerges(Branch branch, SvnDir newTree, int revision, LayoutRules layout, BranchTracker branches)
    {
        var oldInfo = branch.LastTree?.Prop("svn:mergeinfo");
        var newInfo = newTree.Prop("svn:mergeinfo");
        if (newInfo is null || string.Equals(oldInfo, newInfo, StringComparison.Ordinal))
        {
            return [];
        }
        var before = Parse(oldInfo);
        var after = Parse(newInfo);
        var result = new List<int>();
        foreach (var (sourcePath, ranges) in after)
        {
            if (before.TryGetValue(sourcePath, out var old) && old.SequenceEqual(ranges))
            {
                continue;
            }
            var placement = layout.Classify(sourcePath, revision);
            if (placement is null || placement.Ref.Length == 0 || placement.RelativePath.Length != 0 || placement.BranchRoot == branch.Root
                || placement.Repository != branch.Placement.Repository || !branches.TryGet(placement.BranchRoot, out var source))
            {
                continue;
            }
            var maxRevision = ranges.Max(r => r.End);
            var history = source.History;
            var lastIndex = -1;
            for (var i = history.Count - 1; i >= 0; i--)
            {
                if (history[i].Revision <= maxRevision)
                {
                    lastIndex = i;
                    break;
                }
            }
            if (lastIndex < 0 || history[lastIndex].Kind == BranchEventKind.Delete || history[lastIndex].Mark == 0)
            {
                continue;
            }
            var mergedBefore = branch.MergedUpTo.GetValueOrDefault(placement.BranchRoot, -1);
            var complete = true;
            var pending = 0;
            var creationOnly = false;
            for (var i = lastIndex; i >= 0 && history[i].Kind != BranchEventKind.Delete && history[i].Revision > mergedBefore; i--)
            {
                var e = history[i];
                if (e.Kind == BranchEventKind.Create)
                {
                    // A branch with no commits of its own yet: merging it means merging its creation.
                    if (pending == 0 && e.Mark > 0 && ranges.Any(r => r.Contains(e.Revision)))
                    {
                        creationOnly = true;
                    }
                    break;
                }
                pending++;
                if (!ranges.Any(r => r.Contains(e.Revision)))
                {
                    complete = false;
                    break;
                }
            }
            if (!complete || (pending == 0 && !creationOnly))
            {
                continue;
            }
            var mark = history[lastIndex].Mark;
            if (mark == branch.LastMark || result.Contains(mark))
            {
                continue;
            }
            branch.MergedUpTo = branch.MergedUpTo.SetItem(placement.BranchRoot, history[lastIndex].Revision);
            result.Add(mark);
        }
        return result;
    }
}

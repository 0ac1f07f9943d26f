using ProServ.Migration.Git;
using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>
/// At the end of each revision, finds the lines of development it touched and writes their
/// commits: a branch's lifetime starts (forked from the branch it was copied from), ends, or
/// gets a commit with the tree diff and the merges its mergeinfo records.
/// </summary>
internal sealed class BranchCommitter(SvnConversionOptions options, LayoutRules layout, Revision revision, BranchTracker branches,
    TreeRetention retention, TreeDiff diff, FastImportWriter writer, Marks marks, ConversionReport report, Func<string?> uuid)
{
    private readonly HashSet<string> _unmatched = new(StringComparer.Ordinal);

    /// <summary>Writes the revision's commits on the branches it touched in <paramref name="tree"/>; false if none changed.</summary>
    public bool CommitRevision(SvnDir tree)
    {
        var changed = false;
        foreach (var root in AffectedRoots(tree))
        {
            changed |= CommitBranch(root, tree);
        }
        return changed;
    }

    private SortedSet<string> AffectedRoots(SvnDir tree)
    {
        var affected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (path, action) in revision.Touched)
        {
            var placement = layout.Classify(path, revision.Number);
            if (placement is not null && placement.Ref.Length > 0)
            {
                affected.Add(placement.BranchRoot);
                continue;
            }
            if (placement is null && action != NodeAction.Delete && tree.Lookup(path) is { } n && (n is SvnFile || revision.Copies.ContainsKey(path)))
            {
                var roots = new SortedSet<string>(StringComparer.Ordinal);
                if (n is SvnDir copied)
                {
                    FindBranchRoots(copied, path, 0, roots);
                }
                // A copied container of branches (e.g. a whole project) is not "unmatched".
                if (roots.Count == 0 && _unmatched.Count < 1000 && _unmatched.Add(path))
                {
                    report.UnmatchedPaths.Add(path);
                }
            }
            // A container (or the root) changed: every line of development below it may be affected.
            var prefix = path.Length == 0 ? "" : path + "/";
            foreach (var b in branches.All)
            {
                if (b.Live && b.Root.StartsWith(prefix, StringComparison.Ordinal))
                {
                    affected.Add(b.Root);
                }
            }
            if (action != NodeAction.Delete && tree.Lookup(path) is SvnDir d)
            {
                FindBranchRoots(d, path, 0, affected);
            }
        }
        return affected;
    }

    private void FindBranchRoots(SvnDir dir, string path, int depth, SortedSet<string> found)
    {
        if (depth > 4)
        {
            return;
        }
        foreach (var (name, child) in dir.Children)
        {
            if (child is not SvnDir childDir)
            {
                continue;
            }
            var p = path.Length == 0 ? name : path + "/" + name;
            var placement = layout.Classify(p, revision.Number);
            if (placement is null)
            {
                FindBranchRoots(childDir, p, depth + 1, found);
            }
            else if (placement.Ref.Length > 0 && placement.RelativePath.Length == 0)
            {
                found.Add(p);
            }
        }
    }

    private bool CommitBranch(string root, SvnDir tree)
    {
        var placement = layout.Classify(root, revision.Number);
        if (placement is null || placement.Ref.Length == 0 || placement.RelativePath.Length != 0)
        {
            return false;
        }
        var newTree = tree.Lookup(root) as SvnDir;
        placement = branches.Claim(root, placement, newTree is not null, Warn);
        if (!branches.TryGet(root, out var b))
        {
            if (newTree is null)
            {
                return false;
            }
            b = branches.Add(root, placement);
        }
        var repository = placement.Repository;
        var changed = false;
        if (b.Live && (newTree is null || revision.Replaced(root)))
        {
            if (b.End(revision.Number, options.KeepDeleted) is { } kept && revision.Emit)
            {
                writer.Reset(repository, kept, b.LastMark, terminated: true);
            }
            changed = true;
        }
        if (newTree is null)
        {
            return changed;
        }
        b.Placement = placement;
        if (!b.Live)
        {
            return StartLifetime(b, newTree) || changed;
        }
        var changes = diff.Between(b.LastTree, newTree, placement.Prefix);
        var merges = Mergeinfo.FindMerges(b, newTree, revision.Number, layout, branches);
        if (changes.Count == 0 && merges.Count == 0)
        {
            b.LastTree = newTree;
            return changed;
        }
        if (b.Placement.IsTag && !b.Modified)
        {
            b.Modified = true;
            Warn($"tag {b.Name} ({root}) was modified in r{revision.Number} after its creation in r{b.CreatedRevision}: kept as branch tags/{b.Name}");
            if (!b.EverCommitted && b.LastMark > 0 && revision.Emit)
            {
                // A tag that was a pure copy has no ref yet; its branch starts at the tagged commit.
                writer.Reset(repository, b.CommitRef, b.LastMark);
            }
        }
        if (b.LastMark == 0 && revision.Emit)
        {
            writer.Reset(repository, b.CommitRef);
        }
        b.Committed(revision.Number, Commit(b, b.LastMark, merges, changes, deleteAll: false), newTree, BranchEventKind.Commit);
        return true;
    }

    private bool StartLifetime(Branch b, SvnDir newTree)
    {
        var source = revision.CopySourceOf(b.Root);
        var parent = source is { } s ? branches.CommitHolding(s.Path, s.Revision) : null;
        if (parent is { } p && p.Branch.Placement.Repository != b.Placement.Repository)
        {
            parent = null;
        }
        b.Start(revision.Number, revision.Meta, parent);
        var samePrefix = parent is { } p0 && p0.Branch.Placement.Prefix == b.Placement.Prefix;
        // The parent commit's tree is the source branch's tree at the copied revision, which the plan kept.
        var parentTree = parent is { } pt && source is { } st ? retention.RootAt(st.Revision).Lookup(pt.Branch.Root) as SvnDir : null;
        if (b.Placement.IsTag && parent is { } tagged && samePrefix && SvnNode.Same(parentTree, newTree))
        {
            b.Created(revision.Number, tagged.Event.Mark, newTree);
            return true;
        }
        var deleteAll = parent is not null && (!samePrefix || parentTree is null);
        var changes = diff.Between(parent is not null && !deleteAll ? parentTree : null, newTree, b.Placement.Prefix);
        if (parent is null && changes.Count == 0)
        {
            // An empty directory with no history (e.g. trunk in the layout revision): the first
            // commit comes with the first content.
            b.Created(revision.Number, 0, newTree);
            return false;
        }
        if (revision.Emit && parent is null)
        {
            writer.Reset(b.Placement.Repository, b.CommitRef);
        }
        b.Committed(revision.Number, Commit(b, parent?.Event.Mark ?? 0, [], changes, deleteAll), newTree, BranchEventKind.Create);
        return true;
    }

    private int Commit(Branch b, int from, List<int> merges, List<FileChange> changes, bool deleteAll)
    {
        var mark = marks.Take();
        if (!revision.Emit)
        {
            return mark;
        }
        var who = CommitText.Signature(revision.Author, revision.Date, options.Authors, uuid());
        writer.Commit(b.Placement.Repository, b.CommitRef, mark, who, CommitText.CommitMessage(revision.Log, revision.Number, options.RevisionTrailer),
            from, merges, deleteAll, changes);
        report.Commits++;
        if (merges.Count > 0)
        {
            report.Merges++;
        }
        return mark;
    }

    private void Warn(string message)
    {
        if (revision.Emit)
        {
            report.Warnings.Add(message);
        }
    }
}

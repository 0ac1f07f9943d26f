using System.Globalization;
using ProServ.Migration.Git;
using ProServ.Migration.Layout;

namespace ProServ.Migration.Conversion;

/// <summary>The refs a conversion ends with: annotated tags, dropped temporary refs, and the report's list.</summary>
internal sealed class RefFinalizer(SvnConversionOptions options, LayoutRules layout, BranchTracker branches, FastImportWriter writer, Func<string, string> repoDir)
{
    /// <summary>
    /// git cannot hold both refs/heads/a and refs/heads/a/b, and fast-import would update the
    /// refs it can and fail on the rest: refuse before sending <c>done</c>, so no ref changes.
    /// </summary>
    public void CheckConflicts()
    {
        foreach (var name in layout.Repositories)
        {
            var refs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var b in branches.In(name))
            {
                refs.Add(b.Placement.Ref);
                if (b.Placement.IsTag)
                {
                    refs.Add(b.CommitRef);
                }
                refs.UnionWith(b.DeletedRefs);
            }
            if (options.StreamFile is null)
            {
                refs.UnionWith(GitCli.Run(repoDir(name), "for-each-ref", "--format=%(refname)").Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }
            foreach (var r in refs)
            {
                for (var i = r.IndexOf('/', "refs/".Length); i > 0; i = r.IndexOf('/', i + 1))
                {
                    if (refs.Contains(r[..i]))
                    {
                        throw new MigrationException($"refs {r[..i]} and {r} cannot both exist in git; change the branch names in the rules (nothing was written)");
                    }
                }
            }
        }
    }

    /// <summary>Tags never modified after their creation become annotated tags with the creating revision's author, date and log.</summary>
    public void WriteTags(string? uuid)
    {
        foreach (var b in branches.All)
        {
            if (!b.Live || !b.Placement.IsTag || b.Modified || b.LastMark == 0)
            {
                continue;
            }
            var meta = b.TagMeta;
            writer.Tag(b.Placement.Repository, b.Name, b.LastMark, CommitText.Signature(meta.Author, meta.Date, options.Authors, uuid), CommitText.TagMessage(meta.Log));
        }
    }

    /// <summary>
    /// Drops, inside the fast-import stream, every ref a branch ever used that is not a final ref
    /// (temporary tag branches, deleted branches, refs of an earlier run when resuming), so refs
    /// change in git's one final update and no other git process runs afterwards.
    /// </summary>
    public void WriteRefDeletions(bool resumed)
    {
        foreach (var name in writer.Targets.Keys)
        {
            var keep = new HashSet<string>(StringComparer.Ordinal);
            var candidates = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var b in branches.In(name))
            {
                candidates.Add(b.Placement.Ref);
                candidates.Add(b.CommitRef);
                keep.UnionWith(b.DeletedRefs);
                if (b.Live)
                {
                    keep.Add(b.FinalRef);
                }
            }
            foreach (var r in candidates.Where(r => !keep.Contains(r)))
            {
                writer.DeleteRef(name, r, fromDisk: resumed);
            }
        }
    }

    /// <summary>The report's refs: live branches and tags, then the kept deleted ones, by SVN path.</summary>
    public void FillReport(ConversionReport report, int lastRevision)
    {
        report.Refs.Clear();
        foreach (var b in branches.All.OrderBy(b => b.Root, StringComparer.Ordinal))
        {
            var repository = b.Placement.Repository;
            if (b.Live && b.LastMark > 0)
            {
                var kind = !b.Placement.IsTag ? "branch" : b.Modified ? "modified-tag" : "tag";
                report.Refs.Add(new RefReport(repository, b.FinalRef, kind, b.Root, lastRevision, b.Placement.Prefix));
            }
            foreach (var d in b.DeletedRefs)
            {
                var deletedIn = int.Parse(d["refs/deleted/r".Length..d.IndexOf('/', "refs/deleted/r".Length)], CultureInfo.InvariantCulture);
                report.Refs.Add(new RefReport(repository, d, "deleted", b.Root, deletedIn - 1, b.Placement.Prefix));
            }
        }
    }
}

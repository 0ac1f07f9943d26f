using ProServ.Migration.Git;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>
/// The file changes that turn one branch tree into another, with the .gitignore files svn:ignore
/// implies and, when asked, .gitkeep files for empty directories.
/// </summary>
internal sealed class TreeDiff(bool gitignore, bool emptyDirs, int emptyBlobMark)
{
    /// <summary>Changes from <paramref name="before"/> (null: nothing) to <paramref name="after"/>, with paths under <paramref name="prefix"/>.</summary>
    public List<FileChange> Between(SvnDir? before, SvnDir after, string prefix)
    {
        var changes = new List<FileChange>();
        Directory(before, after, prefix, changes, isRoot: true);
        return changes;
    }

    private void Directory(SvnDir? a, SvnDir b, string path, List<FileChange> changes, bool isRoot)
    {
        if (SvnNode.Same(a, b))
        {
            return;
        }
        if (gitignore)
        {
            var ignoreBefore = GitignoreText.Of(a);
            var ignoreAfter = GitignoreText.Of(b);
            if (!string.Equals(ignoreBefore, ignoreAfter, StringComparison.Ordinal) && !b.Children.ContainsKey(".gitignore"))
            {
                changes.Add(ignoreAfter.Length == 0 ? FileChange.Deletion(path + ".gitignore") : FileChange.InlineText(path + ".gitignore", "100644", ignoreAfter));
            }
        }
        if (emptyDirs && !isRoot)
        {
            var wasEmpty = a is not null && a.Children.IsEmpty;
            if (b.Children.IsEmpty && !wasEmpty)
            {
                changes.Add(FileChange.FromBlob(path + ".gitkeep", "100644", emptyBlobMark));
            }
            else if (!b.Children.IsEmpty && wasEmpty)
            {
                changes.Add(FileChange.Deletion(path + ".gitkeep"));
            }
        }
        var ea = (a ?? SvnDir.Empty).Children.GetEnumerator();
        var eb = b.Children.GetEnumerator();
        var hasA = ea.MoveNext();
        var hasB = eb.MoveNext();
        while (hasA || hasB)
        {
            var cmp = !hasA ? 1 : !hasB ? -1 : string.CompareOrdinal(ea.Current.Key, eb.Current.Key);
            if (cmp < 0)
            {
                changes.Add(FileChange.Deletion(path + ea.Current.Key));
                hasA = ea.MoveNext();
            }
            else if (cmp > 0)
            {
                Node(null, eb.Current.Value, path + eb.Current.Key, changes);
                hasB = eb.MoveNext();
            }
            else
            {
                // Unchanged entries are shared between trees: skip them before building any path.
                if (!SvnNode.Same(ea.Current.Value, eb.Current.Value))
                {
                    Node(ea.Current.Value, eb.Current.Value, path + eb.Current.Key, changes);
                }
                hasA = ea.MoveNext();
                hasB = eb.MoveNext();
            }
        }
    }

    private void Node(SvnNode? a, SvnNode b, string path, List<FileChange> changes)
    {
        if (SvnNode.Same(a, b))
        {
            return;
        }
        if (b is SvnFile fb)
        {
            if (a is SvnFile fa && fa.Mark == fb.Mark && fa.GitMode == fb.GitMode)
            {
                return;
            }
            if (a is SvnDir)
            {
                changes.Add(FileChange.Deletion(path));
            }
            changes.Add(FileChange.FromBlob(path, fb.GitMode, fb.Mark));
            return;
        }
        if (a is SvnFile)
        {
            changes.Add(FileChange.Deletion(path));
            a = null;
        }
        Directory(a as SvnDir, (SvnDir)b, path + "/", changes, isRoot: false);
    }
}

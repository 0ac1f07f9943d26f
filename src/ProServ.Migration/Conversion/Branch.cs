using System.Collections.Immutable;
using System.Globalization;
using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

internal enum BranchEventKind
{
    Create,
    Commit,
    Delete,
}

/// <summary>A change of a branch's commit: what a copy from the branch at a revision forks from, and what merges look for.</summary>
internal readonly record struct BranchEvent(int Revision, int Mark, BranchEventKind Kind);

/// <summary>The author, date and log of the revision that created a tag: its annotated tag carries them.</summary>
internal readonly record struct RevisionMeta(string Author, long Date, string Log);

/// <summary>
/// One SVN directory that is a line of development, through all its lifetimes: each copy or add
/// starts one, each delete or replace ends it.
/// </summary>
internal sealed class Branch(string root, Placement placement)
{
    public string Root { get; } = root;

    public Placement Placement { get; set; } = placement;

    public bool Live { get; private set; }

    /// <summary>The branch's commit (0 before its first one).</summary>
    public int LastMark { get; private set; }

    /// <summary>The tree of <see cref="LastMark"/>, or the tree seen last when nothing was committed for it.</summary>
    public SvnDir? LastTree { get; set; }

    public int LastRevision { get; private set; }

    public int CreatedRevision { get; private set; }

    /// <summary>A tag changed after its creation: kept as a branch.</summary>
    public bool Modified { get; set; }

    /// <summary>A commit was written on <see cref="CommitRef"/> in this lifetime (a tag that is a pure copy has none).</summary>
    public bool EverCommitted { get; private set; }

    public RevisionMeta TagMeta { get; private set; }

    public List<BranchEvent> History { get; } = [];

    /// <summary>Per source branch root, the revision up to which its history is already in this branch.</summary>
    /// <remarks>Immutable and shared with the branch it forked from until either changes: tags copy trunk's for free.</remarks>
    public ImmutableDictionary<string, int> MergedUpTo { get; set; } = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);

    /// <summary>refs/deleted/… refs kept for ended lifetimes (with --keep-deleted).</summary>
    public List<string> DeletedRefs { get; } = [];

    public string Name => Placement.Ref.StartsWith("refs/tags/", StringComparison.Ordinal) ? Placement.Ref["refs/tags/".Length..]
        : Placement.Ref.StartsWith("refs/heads/", StringComparison.Ordinal) ? Placement.Ref["refs/heads/".Length..] : Placement.Ref;

    /// <summary>Ref commits go to: tags are committed as branches tags/NAME and become annotated tags at the end if never modified.</summary>
    public string CommitRef => Placement.IsTag ? "refs/heads/tags/" + Name : Placement.Ref;

    /// <summary>The ref the branch ends as: a tag that was modified stays the branch its commits went to.</summary>
    public string FinalRef => !Placement.IsTag ? Placement.Ref : Modified ? CommitRef : Placement.Ref;

    /// <summary>Starts a lifetime at <paramref name="revision"/>, forked from <paramref name="fork"/> when it is a copy of a branch.</summary>
    public void Start(int revision, RevisionMeta meta, (Branch Branch, BranchEvent Event)? fork)
    {
        Live = true;
        Modified = false;
        EverCommitted = false;
        CreatedRevision = revision;
        MergedUpTo = MergedUpTo.Clear();
        if (fork is { } f)
        {
            MergedUpTo = f.Branch.MergedUpTo.SetItem(f.Branch.Root, f.Event.Revision);
        }
        TagMeta = meta;
    }

    /// <summary>A commit written for the branch at <paramref name="revision"/>.</summary>
    public void Committed(int revision, int mark, SvnDir tree, BranchEventKind kind)
    {
        EverCommitted = true;
        Point(revision, mark, tree, kind);
    }

    /// <summary>The branch now stands at <paramref name="mark"/> without a commit of its own (a tag that is a pure copy, or 0 for an empty directory).</summary>
    public void Created(int revision, int mark, SvnDir tree) => Point(revision, mark, tree, BranchEventKind.Create);

    private void Point(int revision, int mark, SvnDir tree, BranchEventKind kind)
    {
        LastMark = mark;
        LastTree = tree;
        LastRevision = revision;
        History.Add(new BranchEvent(revision, mark, kind));
    }

    /// <summary>Ends the lifetime; with <paramref name="keepDeleted"/> returns the refs/deleted/ ref that keeps its last commit.</summary>
    public string? End(int revision, bool keepDeleted)
    {
        Live = false;
        LastTree = null;
        History.Add(new BranchEvent(revision, 0, BranchEventKind.Delete));
        if (!keepDeleted || LastMark <= 0)
        {
            return null;
        }
        var kept = "refs/deleted/r" + revision.ToString(CultureInfo.InvariantCulture) + (Placement.IsTag ? "/tags/" : "/heads/") + Name;
        DeletedRefs.Add(kept);
        return kept;
    }

    /// <summary>The last event at or before <paramref name="revision"/> if the branch had a commit then.</summary>
    public BranchEvent? CommitAt(int revision)
    {
        var h = History;
        int lo = 0, hi = h.Count - 1, best = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (h[mid].Revision <= revision)
            {
                best = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        // Several events can share a revision (delete then re-create): the last one counts.
        if (best < 0 || h[best].Kind == BranchEventKind.Delete || h[best].Mark == 0)
        {
            return null;
        }
        return h[best];
    }
}

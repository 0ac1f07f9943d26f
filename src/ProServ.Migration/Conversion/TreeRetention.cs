using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>
/// Which revisions' trees stay reachable: those a later copy reads (the copy plan lists them),
/// until the last such copy; every revision's tree while the plan is still being read. Trees
/// still needed are swept to the node store now and then, so only recently used directories
/// stay in memory.
/// </summary>
internal sealed class TreeRetention(int sweepRevisions, ConversionReport report) : IDisposable
{
    /// <summary>Node records after which trees are swept even before <see cref="SvnConversionOptions.SweepRevisions"/>.</summary>
    private const int SweepNodes = 20_000;

    /// <summary>Revisions kept while the plan is read before the conversion waits for it.</summary>
    public const int MaxInterimRoots = 1000;

    private readonly Dictionary<int, SvnDir> _kept = [];
    private readonly Dictionary<int, SvnDir> _interim = [];
    private NodeStore? _nodes;
    private int _revisionsSinceSweep;
    private int _nodesSinceSweep;

    public CopyPlan Plan { get; private set; } = new();

    public int InterimCount => _interim.Count;

    /// <summary>The repository tree after <paramref name="revision"/>; only copy sources are kept.</summary>
    public SvnDir RootAt(int revision) =>
        // Revisions before the first one in the dump (incremental dumps) have no tree.
        _kept.TryGetValue(revision, out var r) || _interim.TryGetValue(revision, out r) ? r : SvnDir.Empty;

    /// <summary>Takes the plan in: trees kept meanwhile stay only if a copy after <paramref name="currentRevision"/> reads them.</summary>
    public void Adopt(CopyPlan plan, int currentRevision)
    {
        Plan = plan;
        foreach (var (revision, root) in _interim)
        {
            if (plan.LastUseOf(revision) > currentRevision)
            {
                _kept[revision] = root;
            }
        }
        _interim.Clear();
        report.KeptTreesPeak = Math.Max(report.KeptTreesPeak, _kept.Count);
    }

    /// <summary>No plan yet: every revision's tree is kept.</summary>
    public void KeepInterim(int revision, SvnDir root) => _interim[revision] = root;

    /// <summary>Keeps the tree of a revision a later copy reads.</summary>
    public void KeepIfSource(int revision, SvnDir root)
    {
        if (Plan.IsSource(revision))
        {
            _kept[revision] = root;
            report.KeptTreesPeak = Math.Max(report.KeptTreesPeak, _kept.Count);
        }
    }

    /// <summary>Drops the trees whose last copy was in <paramref name="revision"/>.</summary>
    public void Expire(int revision)
    {
        foreach (var source in Plan.ExpiringAfter(revision))
        {
            _kept.Remove(source);
        }
    }

    public void NodeRead() => _nodesSinceSweep++;

    /// <summary>Counts a revision; true when enough revisions or node records went by for a <see cref="Sweep"/>.</summary>
    public bool RevisionDone() => ++_revisionsSinceSweep >= sweepRevisions || _nodesSinceSweep >= SweepNodes;

    /// <summary>Moves the trees still needed to the node store, keeping in memory only the directories in recent use.</summary>
    public void Sweep(SvnDir current, IEnumerable<SvnDir> alsoReachable)
    {
        _nodes ??= new NodeStore();
        var roots = new List<SvnDir> { current };
        roots.AddRange(_kept.Values);
        roots.AddRange(_interim.Values);
        roots.AddRange(alsoReachable);
        if (_nodes.Sweep(roots) > 0)
        {
            // Dropped directories are old, so only a full collection returns their memory; a
            // background one costs this thread next to nothing.
            GC.Collect(2, GCCollectionMode.Forced, blocking: false);
        }
        _revisionsSinceSweep = 0;
        _nodesSinceSweep = 0;
    }

    public void Dispose() => _nodes?.Dispose();
}

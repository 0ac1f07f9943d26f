using ProServ.Migration.Layout;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>The branches and tags of a conversion by SVN root, and which SVN directory owns which ref.</summary>
internal sealed class BranchTracker(LayoutRules layout)
{
    private readonly Dictionary<string, Branch> _branches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refOwners = new(StringComparer.Ordinal);

    public IEnumerable<Branch> All => _branches.Values;

    public bool TryGet(string root, out Branch branch) => _branches.TryGetValue(root, out branch!);

    public IEnumerable<Branch> In(string repository) => _branches.Values.Where(b => b.Placement.Repository == repository);

    /// <summary>
    /// The placement <paramref name="root"/> gets: the first SVN directory that maps to a ref owns
    /// it; later ones (e.g. trunk and branches/main) get an alias ref so both are kept.
    /// </summary>
    public Placement Claim(string root, Placement placement, bool exists, Action<string> warn)
    {
        var refKey = placement.Repository + "\n" + placement.Ref;
        if (!_refOwners.TryGetValue(refKey, out var owner))
        {
            _refOwners[refKey] = root;
            return placement;
        }
        if (owner == root)
        {
            return placement;
        }
        var alias = placement.Ref + "_" + LayoutRules.SanitizeRefPart(root.Replace('/', '_'));
        if (!_branches.ContainsKey(root) && exists)
        {
            warn($"{root} maps to {placement.Ref}, which {owner} already uses: converted as {alias}");
        }
        return placement with { Ref = alias };
    }

    /// <summary>The trees branches were last seen with: still reachable, so kept through a sweep.</summary>
    public IEnumerable<SvnDir> LastTrees()
    {
        foreach (var b in _branches.Values)
        {
            if (b.LastTree is { } t)
            {
                yield return t;
            }
        }
    }

    public Branch Add(string root, Placement placement)
    {
        var b = new Branch(root, placement);
        _branches[root] = b;
        return b;
    }

    /// <summary>The branch and commit that held <paramref name="path"/> at <paramref name="revision"/>: what a copy from there forks from.</summary>
    public (Branch Branch, BranchEvent Event)? CommitHolding(string path, int revision)
    {
        var placement = layout.Classify(path, revision);
        if (placement is null || placement.Ref.Length == 0 || !_branches.TryGetValue(placement.BranchRoot, out var b))
        {
            return null;
        }
        return b.CommitAt(revision) is { } e ? (b, e) : null;
    }
}

using System.Collections.Immutable;

namespace ProServ.Migration.Svn;

/// <summary>Immutable node of the reconstructed SVN tree; unchanged subtrees are shared between revisions.</summary>
internal abstract class SvnNode
{
    public static readonly ImmutableSortedDictionary<string, string> NoProps =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public abstract ImmutableSortedDictionary<string, string> Props { get; }

    /// <summary>
    /// True when both are the same node: the same object, or the same stored directory loaded
    /// twice (a directory written to the <see cref="NodeStore"/> may be read back as a new object).
    /// </summary>
    public static bool Same(SvnNode? a, SvnNode? b) =>
        ReferenceEquals(a, b) || (a is SvnDir da && b is SvnDir db && da.StoredAt != 0 && da.StoredAt == db.StoredAt);

    public string? Prop(string name) => Props.TryGetValue(name, out var v) ? v : null;

    private static readonly string[] DirProps = ["svn:externals", "svn:global-ignores", "svn:ignore", "svn:mergeinfo"];
    private static readonly ImmutableSortedDictionary<string, string> Executable = NoProps.Add("svn:executable", "*");
    private static readonly ImmutableSortedDictionary<string, string> Special = NoProps.Add("svn:special", "*");
    private static readonly ImmutableSortedDictionary<string, string> ExecutableSpecial = Executable.Add("svn:special", "*");

    /// <summary>
    /// Keeps only the properties the conversion reads (the mode of a file; ignores, merges and
    /// externals of a directory), with files sharing one of four instances, and returns
    /// <paramref name="current"/> itself when nothing the conversion reads changed.
    /// </summary>
    public static ImmutableSortedDictionary<string, string> KeepUsed(ImmutableSortedDictionary<string, string> props, bool isDir, ImmutableSortedDictionary<string, string> current)
    {
        ImmutableSortedDictionary<string, string> kept;
        if (isDir)
        {
            kept = NoProps;
            foreach (var name in DirProps)
            {
                if (props.TryGetValue(name, out var v))
                {
                    kept = kept.Add(name, v);
                }
            }
            if (kept.Count == current.Count && kept.All(kv => current.TryGetValue(kv.Key, out var cv) && string.Equals(cv, kv.Value, StringComparison.Ordinal)))
            {
                return current;
            }
            return kept.Count == 0 ? NoProps : kept;
        }
        return FileProps(props.ContainsKey("svn:executable"), props.ContainsKey("svn:special"));
    }

    /// <summary>The shared property set of a file with these flags.</summary>
    public static ImmutableSortedDictionary<string, string> FileProps(bool executable, bool special) =>
        executable ? (special ? ExecutableSpecial : Executable) : special ? Special : NoProps;
}

/// <summary>A file: its content lives in git as blob <see cref="Mark"/>.</summary>
internal sealed class SvnFile(int mark, ImmutableSortedDictionary<string, string> props) : SvnNode
{
    public int Mark { get; } = mark;

    public override ImmutableSortedDictionary<string, string> Props { get; } = props;

    public bool IsExecutable => Props.ContainsKey("svn:executable");

    public bool IsSpecial => Props.ContainsKey("svn:special");

    public string GitMode => IsSpecial ? "120000" : IsExecutable ? "100755" : "100644";
}

/// <summary>
/// A directory. Once written to a <see cref="NodeStore"/>, its children and properties may be
/// dropped from memory (<see cref="Evict"/>) and are read back when next needed, so subtrees
/// nobody touches (old tags, kept revisions) cost a few bytes each.
/// </summary>
internal sealed class SvnDir : SvnNode
{
    public static readonly ImmutableSortedDictionary<string, SvnNode> NoChildren =
        ImmutableSortedDictionary.Create<string, SvnNode>(StringComparer.Ordinal);

    public static readonly SvnDir Empty = new(NoChildren, NoProps);

    private ImmutableSortedDictionary<string, SvnNode>? _children;
    private ImmutableSortedDictionary<string, string>? _props;
    private NodeStore? _store;
    private int _lastUse;

    public SvnDir(ImmutableSortedDictionary<string, SvnNode> children, ImmutableSortedDictionary<string, string> props)
    {
        _children = children;
        _props = props;
    }

    private SvnDir(NodeStore store, long storedAt)
    {
        _store = store;
        StoredAt = storedAt;
    }

    /// <summary>A directory known only by where it is stored; loaded on first use.</summary>
    public static SvnDir Stub(NodeStore store, long storedAt) => new(store, storedAt);

    /// <summary>Position in the node store (0 while only in memory).</summary>
    public long StoredAt { get; private set; }

    /// <summary>True while children and properties are in memory.</summary>
    public bool IsLoaded => _children is not null;

    /// <summary>Children as loaded, without loading (null when evicted).</summary>
    public ImmutableSortedDictionary<string, SvnNode>? LoadedChildren => _children;

    public ImmutableSortedDictionary<string, SvnNode> Children
    {
        get
        {
            if (_store is { } store)
            {
                _lastUse = store.Epoch;
                if (_children is null)
                {
                    (_children, _props) = store.Read(StoredAt);
                }
            }
            return _children!;
        }
    }

    public override ImmutableSortedDictionary<string, string> Props
    {
        get
        {
            if (_props is null)
            {
                _ = Children;
            }
            return _props!;
        }
    }

    /// <summary>Records that this directory is stored at <paramref name="storedAt"/>.</summary>
    public void Stored(NodeStore store, long storedAt)
    {
        _store = store;
        StoredAt = storedAt;
        _lastUse = store.Epoch;
    }

    /// <summary>Drops children and properties when stored and unused since <paramref name="epoch"/>; true when dropped.</summary>
    public bool Evict(int epoch)
    {
        if (_store is null || _children is null || _lastUse >= epoch)
        {
            return false;
        }
        _children = null;
        _props = null;
        return true;
    }

    public SvnNode? Lookup(string path)
    {
        if (path.Length == 0)
        {
            return this;
        }
        SvnNode? cur = this;
        foreach (var part in path.Split('/'))
        {
            if (cur is not SvnDir d || !d.Children.TryGetValue(part, out cur))
            {
                return null;
            }
        }
        return cur;
    }

    /// <summary>Returns a new root with <paramref name="node"/> at <paramref name="path"/> (null removes).</summary>
    public SvnDir With(string path, SvnNode? node)
    {
        if (path.Length == 0)
        {
            return node as SvnDir ?? throw new InvalidOperationException("the repository root must be a directory");
        }
        return WithParts(path.Split('/'), 0, node);
    }

    private SvnDir WithParts(string[] parts, int i, SvnNode? node)
    {
        var name = parts[i];
        if (i == parts.Length - 1)
        {
            return node is null
                ? new SvnDir(Children.Remove(name), Props)
                : new SvnDir(Children.SetItem(name, node), Props);
        }
        if (!Children.TryGetValue(name, out var child) || child is not SvnDir dir)
        {
            throw new KeyNotFoundException(string.Join('/', parts[..(i + 1)]));
        }
        return new SvnDir(Children.SetItem(name, dir.WithParts(parts, i + 1, node)), Props);
    }

    public SvnDir WithProps(ImmutableSortedDictionary<string, string> props) => new(Children, props);
}

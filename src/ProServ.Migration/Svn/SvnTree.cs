using System.Collections.Immutable;

namespace ProServ.Migration.Svn;

/// <summary>Immutable node of the reconstructed SVN tree; unchanged subtrees are shared between revisions.</summary>
internal abstract class SvnNode(ImmutableSortedDictionary<string, string> props)
{
    public static readonly ImmutableSortedDictionary<string, string> NoProps =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, string> Props { get; } = props;

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
        var exec = props.ContainsKey("svn:executable");
        var special = props.ContainsKey("svn:special");
        return exec ? (special ? ExecutableSpecial : Executable) : special ? Special : NoProps;
    }
}

/// <summary>A file: its content lives in git as blob <see cref="Mark"/>.</summary>
internal sealed class SvnFile(int mark, ImmutableSortedDictionary<string, string> props) : SvnNode(props)
{
    public int Mark { get; } = mark;

    public bool IsSpecial => Props.ContainsKey("svn:special");

    public string GitMode => IsSpecial ? "120000" : Props.ContainsKey("svn:executable") ? "100755" : "100644";
}

/// <summary>A directory.</summary>
internal sealed class SvnDir(ImmutableSortedDictionary<string, SvnNode> children, ImmutableSortedDictionary<string, string> props) : SvnNode(props)
{
    public static readonly ImmutableSortedDictionary<string, SvnNode> NoChildren =
        ImmutableSortedDictionary.Create<string, SvnNode>(StringComparer.Ordinal);

    public static readonly SvnDir Empty = new(NoChildren, NoProps);

    public ImmutableSortedDictionary<string, SvnNode> Children { get; } = children;

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

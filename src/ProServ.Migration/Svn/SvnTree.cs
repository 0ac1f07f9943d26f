using System.Collections.Immutable;

namespace ProServ.Migration.Svn;

/// <summary>Immutable node of the reconstructed SVN tree; unchanged subtrees are shared between revisions.</summary>
internal abstract class SvnNode(ImmutableSortedDictionary<string, string> props)
{
    public static readonly ImmutableSortedDictionary<string, string> NoProps =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, string> Props { get; } = props;

    public string? Prop(string name) => Props.TryGetValue(name, out var v) ? v : null;
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

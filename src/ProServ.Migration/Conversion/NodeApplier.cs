using System.Collections.Immutable;
using System.Globalization;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>Applies the node records of a dump to the repository tree: adds, copies, changes, deletes, replaces.</summary>
internal sealed class NodeApplier(Revision revision, BlobWriter blobs, TreeRetention retention, ConversionReport report, int emptyBlobMark)
{
    /// <summary>The repository tree as of the last node record.</summary>
    public SvnDir Tree { get; private set; } = new(SvnDir.NoChildren, SvnNode.NoProps);

    private static NodeAction ParseAction(string action, DumpRecord record, int rev) => action switch
    {
        "add" => NodeAction.Add,
        "change" => NodeAction.Change,
        "delete" => NodeAction.Delete,
        "replace" => NodeAction.Replace,
        _ => throw new DumpFormatException($"unknown Node-action \"{action}\"", rev, record.Offset),
    };

    private static string Verb(NodeAction action) => action.ToString().ToLowerInvariant();

    public void Apply(DumpRecord record)
    {
        var rev = revision.Number;
        var path = record.Get("Node-path")!.Trim('/');
        retention.NodeRead();
        var action = ParseAction(record.Get("Node-action") ?? throw new DumpFormatException($"node \"{path}\" has no Node-action", rev, record.Offset), record, rev);
        var existing = Tree.Lookup(path);
        if (action is NodeAction.Delete or NodeAction.Replace)
        {
            if (existing is null)
            {
                throw new DumpFormatException($"{Verb(action)} of \"{path}\", which does not exist", rev, record.Offset);
            }
            Tree = Tree.With(path, null);
            if (action == NodeAction.Delete)
            {
                revision.Touched.Add(new TouchedPath(path, action));
                return;
            }
            existing = null;
        }
        var node = action == NodeAction.Change
            ? existing ?? throw new DumpFormatException($"change of \"{path}\", which does not exist", rev, record.Offset)
            : NewNode(record, path);
        var props = NewProps(record, node);
        if (node is SvnDir dir)
        {
            if (record.TextLength >= 0)
            {
                throw new DumpFormatException($"directory \"{path}\" has text content", rev, record.Offset);
            }
            node = ReferenceEquals(props, dir.Props) ? dir : dir.WithProps(props);
            if (props.TryGetValue("svn:externals", out var externals) && !string.Equals(dir.Prop("svn:externals"), externals, StringComparison.Ordinal))
            {
                report.Externals.Add(new ExternalReport(path, rev, externals));
            }
        }
        else
        {
            var file = (SvnFile)node;
            var mark = file.Mark;
            var special = props.ContainsKey("svn:special");
            if (record.TextLength >= 0)
            {
                mark = record.IsTrue("Text-delta") ? blobs.Delta(record, file, special) : blobs.FullText(record, special);
            }
            else if (special != file.IsSpecial && blobs.Store is not null)
            {
                // Becoming or ceasing to be a symlink changes the blob ("link " prefix).
                mark = blobs.Bytes(blobs.Store.Get(file.Mark), special);
            }
            node = mark == file.Mark && ReferenceEquals(props, file.Props) ? file : new SvnFile(mark, props);
        }
        Tree = Tree.With(path, node);
        revision.Touched.Add(new TouchedPath(path, action));
    }

    /// <summary>The node an add or replace starts from: a copy's source, or an empty directory or file.</summary>
    private SvnNode NewNode(DumpRecord record, string path)
    {
        var rev = revision.Number;
        var parent = path.Contains('/', StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : "";
        if (Tree.Lookup(parent) is not SvnDir)
        {
            throw new DumpFormatException($"add of \"{path}\" whose parent directory does not exist", rev, record.Offset);
        }
        if (record.Get("Node-copyfrom-path") is { } copyFromPath)
        {
            var copyFromText = record.Get("Node-copyfrom-rev");
            if (!int.TryParse(copyFromText, NumberStyles.None, CultureInfo.InvariantCulture, out var copyFromRev) || copyFromRev >= rev || copyFromRev < 0)
            {
                throw new DumpFormatException($"copy of \"{path}\" from invalid revision \"{copyFromText}\"", rev, record.Offset);
            }
            var source = copyFromPath.Trim('/');
            var node = retention.RootAt(copyFromRev).Lookup(source)
                ?? throw new DumpFormatException($"copy of \"{path}\" from \"{source}\"@{copyFromRev}, which does not exist", rev, record.Offset);
            revision.Copies[path] = new CopySource(source, copyFromRev);
            if (record.Get("Text-copy-source-md5") is { } sourceMd5 && node is SvnFile file && blobs.Store is { } store && revision.Emit)
            {
                Checksum.Require(Checksum.Md5(store.Get(file.Mark)), sourceMd5, "MD5", "copy source", record, rev);
            }
            return node;
        }
        return record.Get("Node-kind") switch
        {
            "dir" => new SvnDir(SvnDir.NoChildren, SvnNode.NoProps),
            "file" => new SvnFile(emptyBlobMark, SvnNode.NoProps),
            _ => throw new DumpFormatException($"add of \"{path}\" without Node-kind", rev, record.Offset),
        };
    }

    /// <summary>The node's properties after the record: replaced, or changed by a property delta.</summary>
    private static ImmutableSortedDictionary<string, string> NewProps(DumpRecord record, SvnNode node)
    {
        var props = node.Props;
        if (record.Props is null)
        {
            return props;
        }
        if (record.IsTrue("Prop-delta"))
        {
            var b = props.ToBuilder();
            foreach (var kv in record.Props)
            {
                b[kv.Key] = kv.Value;
            }
            foreach (var k in record.DeletedProps ?? [])
            {
                b.Remove(k);
            }
            props = b.ToImmutable();
        }
        else
        {
            props = record.Props.Count == 0 ? SvnNode.NoProps : record.Props.ToImmutableSortedDictionary(StringComparer.Ordinal);
        }
        return SvnNode.KeepUsed(props, node is SvnDir, node.Props);
    }
}

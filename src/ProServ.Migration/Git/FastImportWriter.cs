using System.Globalization;
using System.Text;

namespace ProServ.Migration.Git;

/// <summary>A file command of a commit: delete, modify from a blob mark, or modify with inline text.</summary>
internal readonly record struct FileChange(bool Delete, string Path, string? Mode, int Mark, string? Inline)
{
    public static FileChange Deletion(string path) => new(true, path, null, 0, null);

    public static FileChange FromBlob(string path, string mode, int mark) => new(false, path, mode, mark, null);

    public static FileChange InlineText(string path, string mode, string text) => new(false, path, mode, 0, text);
}

/// <summary>Who made a commit or tag, and when (seconds since the epoch, UTC).</summary>
internal readonly record struct Signature(string Name, string Email, long When);

/// <summary>
/// Every command of the fast-import streams of a conversion: the one place that knows the stream's
/// syntax. Blobs go to every repository's stream (marks are shared across them); commits, resets
/// and tags go to the stream of one repository.
/// </summary>
internal sealed class FastImportWriter
{
    /// <summary>The object id git reads as "no object": a reset from it deletes the ref.</summary>
    public const string NullId = "0000000000000000000000000000000000000000";

    private readonly Dictionary<string, FastImportTarget> _targets = new(StringComparer.Ordinal);
    private FastImportTarget[] _all = [];

    public IReadOnlyDictionary<string, FastImportTarget> Targets => _targets;

    public void Add(string repository, FastImportTarget target)
    {
        _targets[repository] = target;
        _all = [.. _targets.Values];
    }

    public void FeatureDone()
    {
        foreach (var t in _all)
        {
            t.Write("feature done\n");
        }
    }

    /// <summary>A whole blob in one call.</summary>
    public void Blob(int mark, ReadOnlySpan<byte> content)
    {
        foreach (var t in _all)
        {
            WriteBlobHeader(t, mark, content.Length);
            t.Write(content);
            t.WriteByte((byte)'\n');
        }
    }

    /// <summary>Starts a blob of <paramref name="length"/> bytes; follow with <see cref="BlobData"/> and <see cref="EndBlob"/>.</summary>
    public void BeginBlob(int mark, long length)
    {
        foreach (var t in _all)
        {
            WriteBlobHeader(t, mark, length);
        }
    }

    public void BlobData(ReadOnlySpan<byte> chunk)
    {
        foreach (var t in _all)
        {
            t.Write(chunk);
        }
    }

    public void EndBlob()
    {
        foreach (var t in _all)
        {
            t.WriteByte((byte)'\n');
        }
    }

    private static void WriteBlobHeader(FastImportTarget t, int mark, long length)
    {
        t.Write("blob\nmark :");
        t.WriteNumber(mark);
        t.Write("\ndata ");
        t.WriteNumber(length);
        t.WriteByte((byte)'\n');
    }

    /// <summary>A commit on <paramref name="refName"/>; <paramref name="from"/> 0 continues the ref as it is.</summary>
    public void Commit(string repository, string refName, int mark, Signature who, ReadOnlySpan<byte> message,
        int from, IReadOnlyList<int> merges, bool deleteAll, IReadOnlyList<FileChange> changes)
    {
        var t = _targets[repository];
        var person = who.Name + " <" + who.Email + "> " + who.When.ToString(CultureInfo.InvariantCulture) + " +0000\n";
        var sb = new StringBuilder(256);
        sb.Append("commit ").Append(refName).Append("\nmark :").Append(mark.ToString(CultureInfo.InvariantCulture)).Append('\n')
          .Append("author ").Append(person).Append("committer ").Append(person)
          .Append("data ").Append(message.Length.ToString(CultureInfo.InvariantCulture)).Append('\n');
        t.Write(sb.ToString());
        t.Write(message);
        sb.Clear();
        if (from > 0)
        {
            sb.Append("from :").Append(from.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        foreach (var m in merges)
        {
            sb.Append("merge :").Append(m.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        if (deleteAll)
        {
            sb.Append("deleteall\n");
        }
        t.Write(sb.ToString());
        foreach (var change in changes)
        {
            sb.Clear();
            var path = FastImportTarget.QuotePath(change.Path);
            if (change.Delete)
            {
                t.Write("D " + path + "\n");
            }
            else if (change.Inline is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(change.Inline);
                t.Write("M " + change.Mode + " inline " + path + "\ndata " + bytes.Length.ToString(CultureInfo.InvariantCulture) + "\n");
                t.Write(bytes);
                t.WriteByte((byte)'\n');
            }
            else
            {
                t.Write(sb.Append("M ").Append(change.Mode).Append(" :").Append(change.Mark.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(path).Append('\n').ToString());
            }
        }
        t.WriteByte((byte)'\n');
    }

    /// <summary>
    /// Points <paramref name="refName"/> at <paramref name="fromMark"/>, or with 0 empties it so the
    /// next commit on it has no parent. <paramref name="terminated"/> ends the command with the
    /// optional blank line.
    /// </summary>
    public void Reset(string repository, string refName, int fromMark = 0, bool terminated = false)
    {
        var s = "reset " + refName + "\n";
        if (fromMark > 0)
        {
            s += "from :" + fromMark.ToString(CultureInfo.InvariantCulture) + "\n";
        }
        _targets[repository].Write(terminated ? s + "\n" : s);
    }

    /// <summary>
    /// Drops a ref: a reset without "from" is dropped at the end of the import; "from" the null id
    /// also deletes it from disk (a ref lock each), needed only for refs an earlier run wrote.
    /// </summary>
    public void DeleteRef(string repository, string refName, bool fromDisk) =>
        _targets[repository].Write(fromDisk ? "reset " + refName + "\nfrom " + NullId + "\n\n" : "reset " + refName + "\n\n");

    /// <summary>An annotated tag.</summary>
    public void Tag(string repository, string name, int fromMark, Signature tagger, ReadOnlySpan<byte> message)
    {
        var t = _targets[repository];
        t.Write("tag " + name + "\nfrom :" + fromMark.ToString(CultureInfo.InvariantCulture) + "\ntagger " + tagger.Name + " <" + tagger.Email + "> "
            + tagger.When.ToString(CultureInfo.InvariantCulture) + " +0000\ndata " + message.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        t.Write(message);
        t.WriteByte((byte)'\n');
    }

    /// <summary>Sends <c>done</c> on every stream and waits for git.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        foreach (var t in _all)
        {
            await t.FinishAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Ends every stream without <c>done</c>, so git updates no ref.</summary>
    public async Task AbortAsync()
    {
        foreach (var t in _all)
        {
            await t.AbortAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The git fast-import that stopped with an error, if one did.</summary>
    public FastImportTarget? Failed => _all.FirstOrDefault(t => t.HasFailed);
}

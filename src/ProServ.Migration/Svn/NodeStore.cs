using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ProServ.Migration.Svn;

/// <summary>
/// Append-only temporary file of directory nodes, so the reconstructed SVN trees that the
/// conversion must keep (every tag and branch in the head revision, revisions a later copy reads)
/// live on disk and only the directories in use stay in memory: memory then depends on what a
/// revision touches, not on how many revisions or tags came before.
/// </summary>
/// <remarks>
/// A record is a 4-byte length, then the properties (count, then UTF-8 key/value pairs) and the
/// children (count, then name, kind 0 = file with mark and mode flags, 1 = directory with the
/// position of its own record). Children are always written before their parent.
/// </remarks>
internal sealed class NodeStore : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly ArrayBufferWriter<byte> _pending = new(1 << 16);
    private readonly ArrayBufferWriter<byte> _record = new(4096);
    private long _flushedLength = 1;
    private byte[] _readBuffer = new byte[4096];

    public NodeStore()
    {
        _file = TempFiles.CreateHandle("proserv-tree-");
        // Position 0 means "not stored": start records at 1.
        RandomAccess.Write(_file, new byte[1], 0);
    }

    /// <summary>Advanced by every <see cref="Sweep"/>; directories remember the epoch they were last used in.</summary>
    public int Epoch { get; private set; } = 1;

    /// <summary>Bytes written so far.</summary>
    public long Length => _flushedLength + _pending.WrittenCount;

    /// <summary>Directories written so far.</summary>
    public int Writes { get; private set; }

    /// <summary>Writes <paramref name="dir"/> and every directory below it not yet stored; returns its position.</summary>
    public long Store(SvnDir dir)
    {
        if (dir.StoredAt != 0)
        {
            return dir.StoredAt;
        }
        var children = dir.LoadedChildren!;
        foreach (var (_, child) in children)
        {
            if (child is SvnDir d && d.StoredAt == 0)
            {
                Store(d);
            }
        }
        _record.ResetWrittenCount();
        var props = dir.Props;
        WriteVarint(props.Count);
        foreach (var (k, v) in props)
        {
            WriteString(k);
            WriteString(v);
        }
        WriteVarint(children.Count);
        foreach (var (name, child) in children)
        {
            WriteString(name);
            if (child is SvnFile f)
            {
                WriteByte((byte)((f.IsExecutable ? 1 : 0) | (f.IsSpecial ? 2 : 0)));
                WriteVarint(f.Mark);
            }
            else
            {
                WriteByte(4);
                WriteVarint(((SvnDir)child).StoredAt);
            }
        }
        var at = Length;
        BinaryPrimitives.WriteInt32LittleEndian(_pending.GetSpan(4), _record.WrittenCount);
        _pending.Advance(4);
        _pending.Write(_record.WrittenSpan);
        dir.Stored(this, at);
        Writes++;
        if (_pending.WrittenCount >= 1 << 18)
        {
            Flush();
        }
        return at;
    }

    private void Flush()
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }
        RandomAccess.Write(_file, _pending.WrittenSpan, _flushedLength);
        _flushedLength += _pending.WrittenCount;
        _pending.ResetWrittenCount();
    }

    /// <summary>Reads the children and properties of the directory stored at <paramref name="at"/>.</summary>
    public (ImmutableSortedDictionary<string, SvnNode> Children, ImmutableSortedDictionary<string, string> Props) Read(long at)
    {
        if (at >= _flushedLength)
        {
            Flush();
        }
        Span<byte> len = stackalloc byte[4];
        RandomAccess.Read(_file, len, at);
        var n = BinaryPrimitives.ReadInt32LittleEndian(len);
        if (_readBuffer.Length < n)
        {
            _readBuffer = new byte[Math.Max(n, _readBuffer.Length * 2)];
        }
        var buf = _readBuffer.AsSpan(0, n);
        if (RandomAccess.Read(_file, buf, at + 4) != n)
        {
            throw new IOException("the temporary tree store is truncated");
        }
        var pos = 0;
        var propCount = (int)ReadVarint(buf, ref pos);
        var props = SvnNode.NoProps;
        if (propCount > 0)
        {
            var pb = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < propCount; i++)
            {
                var k = ReadString(buf, ref pos);
                pb[k] = ReadString(buf, ref pos);
            }
            props = pb.ToImmutable();
        }
        var childCount = (int)ReadVarint(buf, ref pos);
        if (childCount == 0)
        {
            return (SvnDir.NoChildren, props);
        }
        // Names are written in order: the builder's sorted insert stays cheap.
        var cb = ImmutableSortedDictionary.CreateBuilder<string, SvnNode>(StringComparer.Ordinal);
        for (var i = 0; i < childCount; i++)
        {
            var name = ReadString(buf, ref pos);
            var kind = buf[pos++];
            cb[name] = kind == 4
                ? SvnDir.Stub(this, ReadVarint(buf, ref pos))
                : new SvnFile((int)ReadVarint(buf, ref pos), SvnNode.FileProps((kind & 1) != 0, (kind & 2) != 0));
        }
        return (cb.ToImmutable(), props);
    }

    /// <summary>
    /// Stores every directory reachable from <paramref name="roots"/> and drops from memory the
    /// stored ones not used since the previous sweep; returns how many were dropped.
    /// </summary>
    public int Sweep(IEnumerable<SvnDir> roots)
    {
        var list = roots.ToList();
        foreach (var r in list)
        {
            Store(r);
        }
        Flush();
        var dropped = 0;
        foreach (var r in list)
        {
            dropped += Evict(r);
        }
        Epoch++;
        return dropped;
    }

    private int Evict(SvnDir d)
    {
        if (d.Evict(Epoch))
        {
            return 1;
        }
        var dropped = 0;
        if (d.LoadedChildren is { } children)
        {
            foreach (var (_, child) in children)
            {
                if (child is SvnDir cd)
                {
                    dropped += Evict(cd);
                }
            }
        }
        return dropped;
    }

    private void WriteByte(byte b)
    {
        _record.GetSpan(1)[0] = b;
        _record.Advance(1);
    }

    private void WriteVarint(long v)
    {
        var span = _record.GetSpan(10);
        var i = 0;
        var u = (ulong)v;
        while (u >= 0x80)
        {
            span[i++] = (byte)(u | 0x80);
            u >>= 7;
        }
        span[i++] = (byte)u;
        _record.Advance(i);
    }

    private void WriteString(string s)
    {
        var n = Encoding.UTF8.GetByteCount(s);
        WriteVarint(n);
        Encoding.UTF8.GetBytes(s, _record.GetSpan(n));
        _record.Advance(n);
    }

    private static long ReadVarint(ReadOnlySpan<byte> buf, ref int pos)
    {
        ulong v = 0;
        var shift = 0;
        while (true)
        {
            var b = buf[pos++];
            v |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return (long)v;
            }
            shift += 7;
        }
    }

    private static string ReadString(ReadOnlySpan<byte> buf, ref int pos)
    {
        var n = (int)ReadVarint(buf, ref pos);
        var s = Encoding.UTF8.GetString(buf.Slice(pos, n));
        pos += n;
        return s;
    }

    public void Dispose() => _file.Dispose();
}

namespace ProServ.Migration.Svn;

/// <summary>
/// Append-only temporary file of blob contents by mark, kept only for dumps with deltas, so
/// delta bases are read back from disk instead of being held in memory.
/// </summary>
internal sealed class ContentStore : IDisposable
{
    private readonly FileStream _file;
    private readonly List<(long Offset, int Length)> _index = [];

    public ContentStore() =>
        _file = TempFiles.CreateStream("proserv-blobs-", 1 << 16);

    public void Put(int mark, ReadOnlySpan<byte> content)
    {
        while (_index.Count <= mark)
        {
            _index.Add((-1, 0));
        }
        _file.Seek(0, SeekOrigin.End);
        _index[mark] = (_file.Position, content.Length);
        _file.Write(content);
    }

    private int _openMark = -1;
    private long _openOffset;

    /// <summary>Starts a streamed entry; follow with <see cref="Append"/> and <see cref="End"/>.</summary>
    public void Begin(int mark)
    {
        while (_index.Count <= mark)
        {
            _index.Add((-1, 0));
        }
        _file.Seek(0, SeekOrigin.End);
        _openMark = mark;
        _openOffset = _file.Position;
    }

    public void Append(ReadOnlySpan<byte> chunk) => _file.Write(chunk);

    public void End()
    {
        _index[_openMark] = (_openOffset, checked((int)(_file.Position - _openOffset)));
        _openMark = -1;
    }

    /// <summary>Length of the content stored for <paramref name="mark"/> (0 when none).</summary>
    public long LengthOf(int mark) => mark < _index.Count && _index[mark].Offset >= 0 ? _index[mark].Length : 0;

    /// <summary>Reads <paramref name="dest"/>.Length bytes of <paramref name="mark"/>'s content from <paramref name="offset"/>; works while an entry is open.</summary>
    public void ReadAt(int mark, long offset, Span<byte> dest)
    {
        if (dest.Length == 0)
        {
            return;
        }
        var (off, len) = _index[mark];
        if (offset + dest.Length > len)
        {
            throw new InvalidDataException("read beyond the stored content");
        }
        // Positional read: the stream's own position (where an open entry appends) is untouched.
        _file.Flush();
        var n = RandomAccess.Read(_file.SafeFileHandle, dest, off + offset);
        if (n != dest.Length)
        {
            throw new IOException("the temporary content file is truncated");
        }
    }

    public byte[] Get(int mark)
    {
        if (mark >= _index.Count || _index[mark].Offset < 0)
        {
            return [];
        }
        var (off, len) = _index[mark];
        var data = new byte[len];
        _file.Seek(off, SeekOrigin.Begin);
        _file.ReadExactly(data);
        return data;
    }

    public void Dispose() => _file.Dispose();
}

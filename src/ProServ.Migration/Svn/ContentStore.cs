namespace ProServ.Migration.Svn;

/// <summary>
/// Append-only temporary file of blob contents by mark, kept only for dumps with deltas, so
/// delta bases are read back from disk instead of being held in memory.
/// </summary>
internal sealed class ContentStore : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "proserv-blobs-" + Guid.NewGuid().ToString("N"));
    private readonly FileStream _file;
    private readonly List<(long Offset, int Length)> _index = [];

    public ContentStore() =>
        _file = new FileStream(_path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

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

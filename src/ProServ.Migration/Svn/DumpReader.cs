using System.Buffers;
using System.Globalization;
using System.Text;

namespace ProServ.Migration.Svn;

/// <summary>A record header block of an <c>svnadmin dump</c> stream.</summary>
internal sealed class DumpRecord
{
    public required Dictionary<string, string> Headers { get; init; }
    public required long Offset { get; init; }
    public Dictionary<string, string>? Props { get; set; }
    public List<string>? DeletedProps { get; set; }
    public long TextLength { get; set; } = -1;

    public string? Get(string key) => Headers.TryGetValue(key, out var v) ? v : null;

    public bool IsTrue(string key) => string.Equals(Get(key), "true", StringComparison.Ordinal);
}

/// <summary>
/// Pull parser over a dump stream: headers and property blocks are parsed, text content is
/// left in the stream for the caller to copy or skip, so file contents are never buffered whole.
/// </summary>
internal sealed class DumpReader(Stream input) : IDisposable
{
    private readonly byte[] _buf = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _pos;
    private int _len;
    private long _bufStart;
    private long _pendingText;
    private long _pendingTrailer;

    /// <summary>Absolute byte offset of the next unread byte.</summary>
    public long Offset => _bufStart + _pos;

    public int CurrentRevision { get; set; } = -1;

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buf);

    private bool Fill()
    {
        if (_pos < _len)
        {
            return true;
        }
        _bufStart += _len;
        _pos = 0;
        _len = input.Read(_buf, 0, _buf.Length);
        return _len > 0;
    }

    private DumpFormatException Error(string message, long? offset = null) =>
        new(message, CurrentRevision, offset ?? Offset);

    /// <summary>Reads one LF-terminated line (without LF); null at end of stream.</summary>
    private string? ReadLine()
    {
        if (!Fill())
        {
            return null;
        }
        var idx = _buf.AsSpan(_pos, _len - _pos).IndexOf((byte)'\n');
        if (idx >= 0)
        {
            var s = Encoding.UTF8.GetString(_buf, _pos, idx);
            _pos += idx + 1;
            return s;
        }
        var acc = new List<byte>(256);
        while (true)
        {
            if (!Fill())
            {
                throw Error("unexpected end of dump inside a header line");
            }
            var span = _buf.AsSpan(_pos, _len - _pos);
            idx = span.IndexOf((byte)'\n');
            if (idx >= 0)
            {
                acc.AddRange(span[..idx].ToArray());
                _pos += idx + 1;
                return Encoding.UTF8.GetString(acc.ToArray());
            }
            acc.AddRange(span.ToArray());
            _pos = _len;
        }
    }

    public void ReadExact(Span<byte> dest)
    {
        while (dest.Length > 0)
        {
            if (!Fill())
            {
                throw Error("dump is truncated: content ends before its declared length");
            }
            var n = Math.Min(dest.Length, _len - _pos);
            _buf.AsSpan(_pos, n).CopyTo(dest);
            _pos += n;
            dest = dest[n..];
        }
    }

    private void Skip(long count)
    {
        var buffered = _len - _pos;
        if (count > buffered + _buf.Length && input.CanSeek)
        {
            // Jump over large contents instead of reading them (pre-scan, skipped texts).
            var target = _bufStart + _pos + count;
            if (target > input.Length)
            {
                throw Error("dump is truncated: content ends before its declared length", input.Length);
            }
            input.Position = target;
            _bufStart = target;
            _pos = 0;
            _len = 0;
            return;
        }
        while (count > 0)
        {
            if (!Fill())
            {
                throw Error("dump is truncated: content ends before its declared length");
            }
            var n = (int)Math.Min(count, _len - _pos);
            _pos += n;
            count -= n;
        }
    }

    /// <summary>Reads the whole pending text content into <paramref name="dest"/> (its exact length).</summary>
    public void ReadTextExact(Span<byte> dest)
    {
        if (dest.Length != _pendingText)
        {
            throw new InvalidOperationException("text length mismatch");
        }
        _pendingText = 0;
        ReadExact(dest);
    }

    /// <summary>Copies the pending text content through <paramref name="sink"/> in chunks.</summary>
    public void ReadText(Action<ReadOnlySpan<byte>> sink)
    {
        var remaining = _pendingText;
        _pendingText = 0;
        while (remaining > 0)
        {
            if (!Fill())
            {
                throw Error("dump is truncated: file text ends before its declared length");
            }
            var n = (int)Math.Min(remaining, _len - _pos);
            sink(_buf.AsSpan(_pos, n));
            _pos += n;
            remaining -= n;
        }
    }

    /// <summary>Returns the next record (version, UUID, revision or node) or null at the end.</summary>
    public DumpRecord? Next()
    {
        if (_pendingText > 0)
        {
            Skip(_pendingText);
            _pendingText = 0;
        }
        if (_pendingTrailer > 0)
        {
            Skip(_pendingTrailer);
            _pendingTrailer = 0;
        }
        string? line;
        long start;
        do
        {
            start = Offset;
            line = ReadLine();
            if (line is null)
            {
                return null;
            }
        }
        while (line.Length == 0 || line[0] == ' ' || line[0] == '#');

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0 && (line.StartsWith(' ') || line.StartsWith('#')))
            {
                // Comment lines, as in hand-annotated test dumps.
            }
            else if (colon <= 0)
            {
                // "Key:" with an empty value is legal for Node-path of the root.
                if (line.EndsWith(':'))
                {
                    headers[line[..^1]] = "";
                }
                else
                {
                    throw Error($"malformed header line \"{Truncate(line)}\"", start);
                }
            }
            else
            {
                headers[line[..colon]] = line[(colon + 2)..];
            }
            line = ReadLine();
            if (line is null)
            {
                if (headers.ContainsKey("Content-length") || headers.ContainsKey("Prop-content-length") || headers.ContainsKey("Text-content-length"))
                {
                    throw Error("dump is truncated after a record header", start);
                }
                break;
            }
            if (line.Length == 0)
            {
                break;
            }
        }
        var rec = new DumpRecord { Headers = headers, Offset = start };
        if (!headers.ContainsKey("Revision-number") && !headers.ContainsKey("Node-path")
            && !headers.ContainsKey("SVN-fs-dump-format-version") && !headers.ContainsKey("UUID"))
        {
            throw Error($"unknown record starting with \"{Truncate(headers.Keys.First())}\"", start);
        }
        var propLen = ParseLength(rec, "Prop-content-length");
        var textLen = ParseLength(rec, "Text-content-length");
        var contentLen = ParseLength(rec, "Content-length");
        // Like Subversion's own loader: property blocks are parsed up to PROPS-END, the text by its
        // length, and whatever Content-length declares beyond both declared lengths is skipped.
        if (propLen < 0 && textLen < 0 && contentLen > 0 && headers.ContainsKey("Revision-number"))
        {
            propLen = contentLen;
        }
        if (propLen >= 0)
        {
            ReadProps(rec);
        }
        if (textLen >= 0)
        {
            rec.TextLength = textLen;
            _pendingText = textLen;
        }
        var rest = contentLen - Math.Max(0, propLen) - Math.Max(0, textLen);
        if (contentLen >= 0 && rest > 0)
        {
            _pendingTrailer = rest;
        }
        return rec;
    }

    private long ParseLength(DumpRecord rec, string key)
    {
        var v = rec.Get(key);
        if (v is null)
        {
            return -1;
        }
        if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw Error($"header {key} has a non-numeric value \"{Truncate(v)}\"", rec.Offset);
        }
        return n;
    }

    private void ReadProps(DumpRecord rec)
    {
        var props = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string>? deleted = null;
        while (true)
        {
            var at = Offset;
            var line = ReadLine() ?? throw Error("dump is truncated inside a property block", at);
            if (line == "PROPS-END")
            {
                break;
            }
            if (line.Length == 0)
            {
                continue;
            }
            if (line.Length < 3 || line[1] != ' ' || (line[0] != 'K' && line[0] != 'D'))
            {
                throw Error($"malformed property block (\"{Truncate(line)}\")", at);
            }
            var key = ReadPropValue(line, at);
            if (line[0] == 'D')
            {
                (deleted ??= []).Add(key);
                continue;
            }
            at = Offset;
            var vline = ReadLine() ?? throw Error("dump is truncated inside a property block", at);
            if (vline.Length < 3 || vline[0] != 'V' || vline[1] != ' ')
            {
                throw Error($"malformed property block: expected V after K {key}", at);
            }
            props[key] = ReadPropValue(vline, at);
        }
        rec.Props = props;
        rec.DeletedProps = deleted;
    }

    private string ReadPropValue(string lenLine, long at)
    {
        if (!int.TryParse(lenLine.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 64 * 1024 * 1024)
        {
            throw Error($"malformed property length \"{Truncate(lenLine)}\"", at);
        }
        var buf = n <= 1024 ? stackalloc byte[n] : new byte[n];
        ReadExact(buf);
        var s = Encoding.UTF8.GetString(buf);
        Span<byte> nl = stackalloc byte[1];
        ReadExact(nl);
        if (nl[0] != (byte)'\n')
        {
            throw Error("property value is not followed by a newline (wrong length?)", Offset - 1);
        }
        return s;
    }

    private static string Truncate(string s) => s.Length > 60 ? s[..60] + "…" : s;
}

/// <summary>A dump that cannot be read: names the revision and byte offset where reading failed.</summary>
public sealed class DumpFormatException(string message, int revision, long offset)
    : Exception($"{message} (revision {(revision < 0 ? "header" : revision.ToString(CultureInfo.InvariantCulture))}, byte offset {offset.ToString(CultureInfo.InvariantCulture)})")
{
    /// <summary>The revision being read when the error occurred; -1 before the first revision.</summary>
    public int Revision { get; } = revision;

    /// <summary>Byte offset in the (uncompressed) dump stream.</summary>
    public long Offset { get; } = offset;
}

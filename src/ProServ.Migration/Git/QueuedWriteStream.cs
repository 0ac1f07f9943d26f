using System.Buffers;
using System.Collections.Concurrent;

namespace ProServ.Migration.Git;

/// <summary>
/// Write-only stream that hands filled buffers to a dedicated thread writing to the pipe, so
/// parsing the dump continues while git fast-import drains its input: without it, every large
/// write blocks the converter until git has consumed it and the two processes take turns.
/// </summary>
internal sealed class QueuedWriteStream : Stream
{
    private const int ChunkSize = 256 * 1024;
    private readonly Stream _inner;
    private readonly BlockingCollection<(byte[] Buffer, int Length)> _queue = new(boundedCapacity: 8);
    private readonly ManualResetEventSlim _drained = new(true);
    private readonly Thread _writer;
    private byte[] _buf = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _len;
    private int _pending;
    private volatile Exception? _error;
    private bool _closed;

    public QueuedWriteStream(Stream inner)
    {
        _inner = inner;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "fast-import writer" };
        _writer.Start();
    }

    private void WriteLoop()
    {
        foreach (var (buffer, length) in _queue.GetConsumingEnumerable())
        {
            if (_error is null)
            {
                try
                {
                    _inner.Write(buffer, 0, length);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    _error = e;
                }
            }
            ArrayPool<byte>.Shared.Return(buffer);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _drained.Set();
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (_error is { } e)
        {
            throw new IOException("writing to git fast-import failed: " + e.Message, e);
        }
    }

    private void Enqueue()
    {
        if (_len == 0)
        {
            return;
        }
        ThrowIfFailed();
        _drained.Reset();
        Interlocked.Increment(ref _pending);
        _queue.Add((_buf, _len));
        _buf = ArrayPool<byte>.Shared.Rent(ChunkSize);
        _len = 0;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, ChunkSize - _len);
            buffer[..n].CopyTo(_buf.AsSpan(_len));
            _len += n;
            buffer = buffer[n..];
            if (_len == ChunkSize)
            {
                Enqueue();
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value)
    {
        _buf[_len++] = value;
        if (_len == ChunkSize)
        {
            Enqueue();
        }
    }

    /// <summary>Waits until everything written so far has reached the pipe.</summary>
    public override void Flush()
    {
        Enqueue();
        _drained.Wait();
        ThrowIfFailed();
        _inner.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            try
            {
                Enqueue();
            }
            catch (IOException)
            {
            }
            _queue.CompleteAdding();
            _writer.Join();
            _queue.Dispose();
            _drained.Dispose();
            ArrayPool<byte>.Shared.Return(_buf);
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

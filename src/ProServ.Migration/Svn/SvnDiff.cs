using System.Buffers;
using System.IO.Compression;

namespace ProServ.Migration.Svn;

/// <summary>Applies svndiff version 0, 1 (zlib) and 2 (LZ4) deltas.</summary>
internal static class SvnDiff
{
    public static void Apply(ReadOnlySpan<byte> delta, ReadOnlySpan<byte> source, ArrayBufferWriter<byte> target)
    {
        if (delta.Length == 0)
        {
            // An empty delta produces an empty text.
            return;
        }
        if (delta.Length < 4 || delta[0] != (byte)'S' || delta[1] != (byte)'V' || delta[2] != (byte)'N' || delta[3] > 2)
        {
            throw new InvalidDataException("text delta does not start with an svndiff header");
        }
        var version = delta[3];
        var p = 4;
        while (p < delta.Length)
        {
            var srcOff = ReadVarint(delta, ref p);
            var srcLen = (int)ReadVarint(delta, ref p);
            var tgtLen = (int)ReadVarint(delta, ref p);
            var insLen = (int)ReadVarint(delta, ref p);
            var newLen = (int)ReadVarint(delta, ref p);
            if (p + insLen + newLen > delta.Length || srcOff + srcLen > source.Length)
            {
                throw new InvalidDataException("svndiff window exceeds the delta or its source");
            }
            var ins = delta.Slice(p, insLen);
            p += insLen;
            var nd = delta.Slice(p, newLen);
            p += newLen;
            DecodeWindow(version, ins, nd, source.Slice((int)srcOff, srcLen), tgtLen, target);
        }
    }

    /// <summary>Decompresses a window's instructions and new data (svndiff1/2) and appends the window's target text.</summary>
    private static void DecodeWindow(int version, ReadOnlySpan<byte> ins, ReadOnlySpan<byte> newData, ReadOnlySpan<byte> source, int tgtLen, ArrayBufferWriter<byte> target)
    {
        byte[]? insBuf = null;
        byte[]? newBuf = null;
        try
        {
            if (version > 0)
            {
                ins = Decompress(ins, version, out insBuf);
                newData = Decompress(newData, version, out newBuf);
            }
            ApplyWindow(ins, newData, source, tgtLen, target);
        }
        finally
        {
            if (insBuf is not null)
            {
                ArrayPool<byte>.Shared.Return(insBuf);
            }
            if (newBuf is not null)
            {
                ArrayPool<byte>.Shared.Return(newBuf);
            }
        }
    }

    /// <summary>Total length of the text a delta produces (the sum of its windows' target lengths), read from the headers only.</summary>
    public static long TargetLength(Stream delta)
    {
        ReadHeader(delta);
        long total = 0;
        while (ReadWindowHeader(delta, out _, out _, out var tgtLen, out var insLen, out var newLen))
        {
            total += tgtLen;
            delta.Seek(insLen + newLen, SeekOrigin.Current);
            if (delta.Position > delta.Length)
            {
                throw new InvalidDataException("svndiff window exceeds the delta");
            }
        }
        return total;
    }

    /// <summary>
    /// Applies a delta window by window: <paramref name="readSource"/> fills a view of the source
    /// text (offset, destination), <paramref name="sink"/> receives each target window. Memory is
    /// bounded by the window size (100 KB in Subversion), not by the size of the file.
    /// </summary>
    public static void Apply(Stream delta, long sourceLength, Action<long, Span<byte>> readSource, Action<ReadOnlySpan<byte>> sink)
    {
        var version = ReadHeader(delta);
        var target = new ArrayBufferWriter<byte>(1 << 17);
        byte[] src = [], ins = [], nd = [];
        try
        {
            while (ReadWindowHeader(delta, out var srcOff, out var srcLen, out var tgtLen, out var insLen, out var newLen))
            {
                if (srcOff + srcLen > sourceLength)
                {
                    throw new InvalidDataException("svndiff window exceeds its source");
                }
                Rent(ref src, srcLen);
                Rent(ref ins, insLen);
                Rent(ref nd, newLen);
                delta.ReadExactly(ins.AsSpan(0, insLen));
                delta.ReadExactly(nd.AsSpan(0, newLen));
                readSource(srcOff, src.AsSpan(0, srcLen));
                target.ResetWrittenCount();
                DecodeWindow(version, ins.AsSpan(0, insLen), nd.AsSpan(0, newLen), src.AsSpan(0, srcLen), tgtLen, target);
                sink(target.WrittenSpan);
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("svndiff window exceeds the delta");
        }
        finally
        {
            foreach (var a in new[] { src, ins, nd })
            {
                if (a.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(a);
                }
            }
        }
    }

    private static void Rent(ref byte[] buffer, int length)
    {
        if (buffer.Length >= length)
        {
            return;
        }
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        buffer = ArrayPool<byte>.Shared.Rent(length);
    }

    private static int ReadHeader(Stream delta)
    {
        Span<byte> h = stackalloc byte[4];
        if (delta.ReadAtLeast(h, 4, throwOnEndOfStream: false) != 4 || h[0] != (byte)'S' || h[1] != (byte)'V' || h[2] != (byte)'N' || h[3] > 2)
        {
            throw new InvalidDataException("text delta does not start with an svndiff header");
        }
        return h[3];
    }

    private static bool ReadWindowHeader(Stream delta, out long srcOff, out int srcLen, out int tgtLen, out int insLen, out int newLen)
    {
        srcLen = tgtLen = insLen = newLen = 0;
        var first = delta.ReadByte();
        if (first < 0)
        {
            srcOff = 0;
            return false;
        }
        srcOff = ReadVarint(delta, first);
        srcLen = checked((int)ReadVarint(delta, delta.ReadByte()));
        tgtLen = checked((int)ReadVarint(delta, delta.ReadByte()));
        insLen = checked((int)ReadVarint(delta, delta.ReadByte()));
        newLen = checked((int)ReadVarint(delta, delta.ReadByte()));
        return true;
    }

    private static long ReadVarint(Stream s, int b)
    {
        long v = 0;
        while (true)
        {
            if (b < 0)
            {
                throw new InvalidDataException("svndiff integer runs past the end of the delta");
            }
            v = (v << 7) | (long)(b & 0x7f);
            if ((b & 0x80) == 0)
            {
                return v;
            }
            b = s.ReadByte();
        }
    }

    private static void ApplyWindow(ReadOnlySpan<byte> ins, ReadOnlySpan<byte> newData, ReadOnlySpan<byte> src, int tgtLen, ArrayBufferWriter<byte> target)
    {
        var window = target.GetSpan(tgtLen)[..tgtLen];
        var t = 0;
        var ip = 0;
        var np = 0;
        while (ip < ins.Length)
        {
            var b = ins[ip++];
            var op = b >> 6;
            long len = b & 0x3f;
            if (len == 0)
            {
                len = ReadVarint(ins, ref ip);
            }
            if (t + len > tgtLen)
            {
                throw new InvalidDataException("svndiff instruction overflows its target window");
            }
            switch (op)
            {
                case 0:
                    {
                        var off = (int)ReadVarint(ins, ref ip);
                        src.Slice(off, (int)len).CopyTo(window[t..]);
                        t += (int)len;
                        break;
                    }
                case 1:
                    {
                        // Copies from the target may overlap the bytes being written: copy byte by byte.
                        var off = (int)ReadVarint(ins, ref ip);
                        for (var i = 0; i < len; i++)
                        {
                            window[t++] = window[off + i];
                        }
                        break;
                    }
                case 2:
                    newData.Slice(np, (int)len).CopyTo(window[t..]);
                    np += (int)len;
                    t += (int)len;
                    break;
                default:
                    throw new InvalidDataException("invalid svndiff instruction");
            }
        }
        if (t != tgtLen)
        {
            throw new InvalidDataException("svndiff window produced fewer bytes than declared");
        }
        target.Advance(tgtLen);
    }

    private static ReadOnlySpan<byte> Decompress(ReadOnlySpan<byte> data, int version, out byte[]? rented)
    {
        rented = null;
        var p = 0;
        var origLen = (int)ReadVarint(data, ref p);
        var body = data[p..];
        if (body.Length == origLen)
        {
            return body;
        }
        rented = ArrayPool<byte>.Shared.Rent(Math.Max(origLen, 1));
        var outSpan = rented.AsSpan(0, origLen);
        if (version == 1)
        {
            unsafe
            {
                fixed (byte* ptr = body)
                {
                    using var ms = new UnmanagedMemoryStream(ptr, body.Length);
                    using var z = new ZLibStream(ms, CompressionMode.Decompress);
                    var read = 0;
                    while (read < origLen)
                    {
                        var n = z.Read(outSpan[read..]);
                        if (n == 0)
                        {
                            throw new InvalidDataException("zlib data in svndiff1 ends early");
                        }
                        read += n;
                    }
                }
            }
        }
        else
        {
            Lz4DecodeBlock(body, outSpan);
        }
        return outSpan;
    }

    /// <summary>Decodes one raw LZ4 block (the format svndiff2 uses).</summary>
    internal static void Lz4DecodeBlock(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        var s = 0;
        var d = 0;
        while (s < src.Length)
        {
            var token = src[s++];
            var lit = token >> 4;
            if (lit == 15)
            {
                byte b;
                do
                {
                    b = src[s++];
                    lit += b;
                }
                while (b == 255);
            }
            src.Slice(s, lit).CopyTo(dst[d..]);
            s += lit;
            d += lit;
            if (s >= src.Length)
            {
                break;
            }
            var offset = src[s] | (src[s + 1] << 8);
            s += 2;
            var mlen = token & 0xf;
            if (mlen == 15)
            {
                byte b;
                do
                {
                    b = src[s++];
                    mlen += b;
                }
                while (b == 255);
            }
            mlen += 4;
            if (offset == 0 || offset > d)
            {
                throw new InvalidDataException("corrupt LZ4 block in svndiff2 data");
            }
            for (var i = 0; i < mlen; i++)
            {
                dst[d] = dst[d - offset];
                d++;
            }
        }
        if (d != dst.Length)
        {
            throw new InvalidDataException("LZ4 block in svndiff2 data has the wrong length");
        }
    }

    private static long ReadVarint(ReadOnlySpan<byte> data, ref int p)
    {
        long v = 0;
        while (true)
        {
            if (p >= data.Length)
            {
                throw new InvalidDataException("svndiff integer runs past the end of the delta");
            }
            var b = data[p++];
            v = (v << 7) | (long)(b & 0x7f);
            if ((b & 0x80) == 0)
            {
                return v;
            }
        }
    }
}

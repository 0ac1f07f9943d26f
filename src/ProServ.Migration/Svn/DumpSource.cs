using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using ProServ.Migration.Git;

namespace ProServ.Migration.Svn;

/// <summary>Opens the SOURCE argument: a dump file (plain or gzip), standard input, or a repository.</summary>
internal sealed class DumpSource : IDisposable
{
    private Process? _dumpProcess;
    private readonly List<string> _tempPaths = [];
    private string? _dumpFile;
    private string? _repo;
    private bool _loaded;

    public required Stream Stream { get; init; }

    /// <summary>The raw file stream when the source is an uncompressed file (allows an authors pre-scan).</summary>
    public FileStream? Seekable { get; private init; }

    public long? TotalBytes { get; private init; }

    public int? TotalRevisions { get; private init; }

    /// <summary>True when revision numbers in the verification repository were renumbered by svnadmin load.</summary>
    public bool Loaded => _loaded;

    public static async Task<DumpSource> OpenAsync(string source, bool needRepository, CancellationToken ct)
    {
        if (source.StartsWith("file://", StringComparison.Ordinal) || IsRepository(source))
        {
            var repo = source.StartsWith("file://", StringComparison.Ordinal) ? Uri.UnescapeDataString(new Uri(source).AbsolutePath) : Path.GetFullPath(source);
            if (!IsRepository(repo))
            {
                throw new MigrationException($"{source} is not a local Subversion repository");
            }
            var youngest = int.Parse((await GitCli.RunAsync("svnlook", ct, "youngest", repo).ConfigureAwait(false)).Trim(), CultureInfo.InvariantCulture);
            var psi = new ProcessStartInfo("svnadmin") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("dump");
            psi.ArgumentList.Add("-q");
            psi.ArgumentList.Add(repo);
            var p = Process.Start(psi) ?? throw new MigrationException("could not start svnadmin");
            _ = p.StandardError.ReadToEndAsync(ct);
            return new DumpSource { Stream = p.StandardOutput.BaseStream, _dumpProcess = p, _repo = repo, TotalRevisions = youngest };
        }
        if (source == "-")
        {
            var stdin = Console.OpenStandardInput();
            if (!needRepository)
            {
                return new DumpSource { Stream = await MaybeGunzipAsync(stdin, ct).ConfigureAwait(false) };
            }
            // Verification needs the dump again: keep a copy while reading it.
            var tmp = Path.Combine(Path.GetTempPath(), "proserv-stdin-" + Guid.NewGuid().ToString("N") + ".dump");
            await using (var f = File.Create(tmp))
            {
                await stdin.CopyToAsync(f, ct).ConfigureAwait(false);
            }
            var s = await OpenAsync(tmp, needRepository, ct).ConfigureAwait(false);
            s._tempPaths.Add(tmp);
            return s;
        }
        if (!File.Exists(source))
        {
            throw new MigrationException($"source {source} does not exist");
        }
        var fs = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var b0 = fs.ReadByte();
        var b1 = fs.ReadByte();
        fs.Position = 0;
        if (b0 == 0x1f && b1 == 0x8b)
        {
            return new DumpSource { Stream = new GZipStream(fs, CompressionMode.Decompress), _dumpFile = source };
        }
        return new DumpSource { Stream = fs, Seekable = fs, TotalBytes = fs.Length, _dumpFile = source };
    }

    private static async Task<Stream> MaybeGunzipAsync(Stream s, CancellationToken ct)
    {
        var head = new byte[2];
        var n = await s.ReadAtLeastAsync(head, 2, false, ct).ConfigureAwait(false);
        var prefixed = new PrefixStream(head.AsMemory(0, n), s);
        return n == 2 && head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(prefixed, CompressionMode.Decompress) : prefixed;
    }

    private static bool IsRepository(string path) =>
        Directory.Exists(path) && File.Exists(Path.Combine(path, "format")) && Directory.Exists(Path.Combine(path, "db"));

    /// <summary>Fails when the svnadmin dump child process did not complete successfully.</summary>
    public async Task EnsureCompleteAsync(CancellationToken ct)
    {
        if (_dumpProcess is { } p)
        {
            await p.WaitForExitAsync(ct).ConfigureAwait(false);
            if (p.ExitCode != 0)
            {
                throw new MigrationException($"svnadmin dump failed with exit code {p.ExitCode}");
            }
        }
    }

    /// <summary>A repository holding the source, loading the dump into a temporary one when needed.</summary>
    public async Task<string> GetRepositoryAsync(CancellationToken ct)
    {
        if (_repo is not null)
        {
            return _repo;
        }
        var dir = Path.Combine(Path.GetTempPath(), "proserv-verify-" + Guid.NewGuid().ToString("N"));
        _tempPaths.Add(dir);
        await GitCli.RunAsync("svnadmin", ct, "create", dir).ConfigureAwait(false);
        var psi = new ProcessStartInfo("svnadmin") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "load", "-q", "--bypass-prop-validation", "--no-flush-to-disk", dir })
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new MigrationException("could not start svnadmin");
        var err = p.StandardError.ReadToEndAsync(ct);
        var outp = p.StandardOutput.ReadToEndAsync(ct);
        await using (var f = new FileStream(_dumpFile!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            var b0 = f.ReadByte();
            var b1 = f.ReadByte();
            f.Position = 0;
            Stream input = b0 == 0x1f && b1 == 0x8b ? new GZipStream(f, CompressionMode.Decompress) : f;
            await input.CopyToAsync(p.StandardInput.BaseStream, ct).ConfigureAwait(false);
            p.StandardInput.Close();
        }
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        await outp.ConfigureAwait(false);
        if (p.ExitCode != 0)
        {
            throw new MigrationException("svnadmin load (for --verify) failed: " + (await err.ConfigureAwait(false)).Trim());
        }
        _loaded = true;
        _repo = dir;
        return dir;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (_dumpProcess is { HasExited: false })
        {
            _dumpProcess.Kill();
        }
        _dumpProcess?.Dispose();
        foreach (var t in _tempPaths)
        {
            try
            {
                if (Directory.Exists(t))
                {
                    Directory.Delete(t, true);
                }
                else
                {
                    File.Delete(t);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed class PrefixStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.Length > 0)
            {
                var n = Math.Min(buffer.Length, _prefix.Length);
                _prefix.Span[..n].CopyTo(buffer);
                _prefix = _prefix[n..];
                return n;
            }
            return inner.Read(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

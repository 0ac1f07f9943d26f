using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using ProServ.Migration.Git;

namespace ProServ.Migration.Svn;

/// <summary>Opens the SOURCE argument: a dump file (plain or gzip), standard input, or a repository.</summary>
internal sealed partial class DumpSource : IDisposable
{
    private Process? _dumpProcess;
    private Func<string>? _dumpErrors;
    private readonly List<string> _tempPaths = [];
    private string? _dumpFile;
    private string? _repo;
    private bool _loaded;

    public required Stream Stream { get; init; }

    /// <summary>The raw file stream when the source is an uncompressed file (allows an authors pre-scan).</summary>
    public FileStream? Seekable { get; private init; }

    public long? TotalBytes { get; private init; }

    public int? TotalRevisions { get; private init; }

    /// <summary>For a repository source, the last revision dumped.</summary>
    public int Youngest { get; private init; }

    /// <summary>True when revision numbers in the verification repository were renumbered by svnadmin load.</summary>
    public bool Loaded => _loaded;

    public static async Task<DumpSource> OpenAsync(string source, CancellationToken ct)
    {
        if (source.StartsWith("file://", StringComparison.Ordinal) || IsRepository(source))
        {
            var repo = source.StartsWith("file://", StringComparison.Ordinal) ? Uri.UnescapeDataString(new Uri(source).AbsolutePath) : Path.GetFullPath(source);
            if (!IsRepository(repo))
            {
                throw new MigrationException($"{source} is not a local Subversion repository");
            }
            var youngest = int.Parse((await GitCli.RunAsync("svnlook", ct, "youngest", repo).ConfigureAwait(false)).Trim(), CultureInfo.InvariantCulture);
            // svnadmin writes to a temporary file that is read while it grows: svnadmin issues a
            // write per header line, and through a pipe each one would wake this process.
            var spool = Path.Combine(Path.GetTempPath(), "proserv-svnadmin-" + Guid.NewGuid().ToString("N") + ".dump");
            var psi = new ProcessStartInfo("sh") { RedirectStandardError = true, UseShellExecute = false };
            psi.Environment["PROSERV_SPOOL"] = spool;
            foreach (var a in new[]
            {
                "-c", "exec \"$@\" > \"$PROSERV_SPOOL\"", "sh", "svnadmin", "dump", "-q",
                // A 128 MB cache instead of the default 16 MB: svnadmin then stops re-reading the
                // revision files it rebuilds texts from (30,000 revisions: 15.7 s -> 9.9 s).
                "-M", "128",
                // Pinned to the youngest revision seen now, so the copy plan read from svn log
                // describes exactly the revisions dumped even while commits continue.
                "-r", "0:" + youngest.ToString(CultureInfo.InvariantCulture), repo,
            })
            {
                psi.ArgumentList.Add(a);
            }
            File.WriteAllBytes(spool, []);
            var p = Process.Start(psi) ?? throw new MigrationException("could not start svnadmin");
            var errors = new System.Text.StringBuilder();
            p.ErrorDataReceived += (_, e) =>
            {
                lock (errors)
                {
                    if (e.Data is not null && errors.Length < 10_000)
                    {
                        errors.AppendLine(e.Data);
                    }
                }
            };
            p.BeginErrorReadLine();
            string Errors()
            {
                lock (errors)
                {
                    return errors.ToString().Trim();
                }
            }
            var result = new DumpSource { Stream = new GrowingFileStream(spool, p, Errors), _dumpProcess = p, _dumpErrors = Errors, _repo = repo, TotalRevisions = youngest, Youngest = youngest };
            result._tempPaths.Add(spool);
            return result;
        }
        if (source == "-")
        {
            var stdin = Console.OpenStandardInput();
            // Spooled to a temporary file: the copy plan needs a pass over the headers before
            // converting, and verification needs the dump again.
            var tmp = Path.Combine(Path.GetTempPath(), "proserv-stdin-" + Guid.NewGuid().ToString("N") + ".dump");
            try
            {
                await using var f = File.Create(tmp);
                await stdin.CopyToAsync(f, ct).ConfigureAwait(false);
            }
            catch
            {
                File.Delete(tmp);
                throw;
            }
            var s = await OpenAsync(tmp, ct).ConfigureAwait(false);
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

    /// <summary>The repository when the source is one (its copy plan comes from svn log).</summary>
    public string? Repository => _dumpProcess is null ? null : _repo;

    /// <summary>
    /// A second, independent reader over the whole dump for the planning pass, or null when the
    /// source can only be read once (a repository, planned from svn log instead).
    /// </summary>
    public Stream? OpenScan()
    {
        if (_dumpFile is null)
        {
            return null;
        }
        var f = new FileStream(_dumpFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var b0 = f.ReadByte();
        var b1 = f.ReadByte();
        f.Position = 0;
        return b0 == 0x1f && b1 == 0x8b ? new GZipStream(f, CompressionMode.Decompress) : f;
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
                throw new MigrationException($"svnadmin dump failed (exit {p.ExitCode}): {_dumpErrors?.Invoke()}");
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

    /// <summary>
    /// Reads a file another process is still writing: at the end of the data it waits for more
    /// until that process has exited, then ends (or fails with the process's message).
    /// </summary>
    private sealed partial class GrowingFileStream(string path, Process writer, Func<string> errors) : Stream
    {
        // Opened for writing too: only so the part already read can be released (below).
        private readonly FileStream _file = new(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        private long _read;
        private long _released;
        private bool _canRelease = OperatingSystem.IsLinux();

        private const int FallocKeepSizePunchHole = 3;
        private const long ReleaseEvery = 64 << 20;

        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "fallocate")]
        private static partial int Fallocate(int fd, int mode, long offset, long length);

        /// <summary>
        /// Gives the disk space of what was read back to the file system (a hole in the sparse
        /// file), so the spool holds only what svnadmin is ahead by, not the whole dump.
        /// </summary>
        private void Release()
        {
            var upTo = _read & ~4095L;
            if (!_canRelease || upTo - _released < ReleaseEvery)
            {
                return;
            }
            if (Fallocate(checked((int)_file.SafeFileHandle.DangerousGetHandle()), FallocKeepSizePunchHole, _released, upTo - _released) != 0)
            {
                _canRelease = false; // a file system without hole punching: keep the file whole
                return;
            }
            _released = upTo;
        }

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
            while (true)
            {
                var n = _file.Read(buffer);
                if (n > 0)
                {
                    _read += n;
                    Release();
                    return n;
                }
                if (writer.HasExited)
                {
                    // Whatever was written between the read above and the exit.
                    n = _file.Read(buffer);
                    if (n > 0)
                    {
                        _read += n;
                        return n;
                    }
                    if (writer.ExitCode != 0)
                    {
                        throw new MigrationException($"svnadmin dump failed (exit {writer.ExitCode}): {errors()}");
                    }
                    return 0;
                }
                Thread.Sleep(1);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

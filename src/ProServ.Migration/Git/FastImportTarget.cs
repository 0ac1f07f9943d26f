using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProServ.Migration.Git;

/// <summary>A fast-import stream going either into a <c>git fast-import</c> child process or to a file.</summary>
internal sealed partial class FastImportTarget : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly Stream _out;
    private readonly StringBuilder _stderr = new();
    private readonly Task? _stderrPump;
    private readonly Task? _stdoutPump;
    private readonly byte[] _scratch = new byte[4096];
    private bool _finished;

    public string Name { get; }

    public string? GitDir { get; }

    public string? MarksFile { get; }

    public string? NewMarksFile { get; }

    private FastImportTarget(string name, string? gitDir, Process? process, Stream output, string? marks, string? newMarks)
    {
        Name = name;
        GitDir = gitDir;
        _process = process;
        if (output is System.IO.Pipes.PipeStream pipe && OperatingSystem.IsLinux())
        {
            // A 1 MB pipe instead of 64 KB: fewer wake-ups of the writer thread and of git.
            // Best effort: fails quietly where the limit is lower.
            _ = SetPipeSize(checked((int)pipe.SafePipeHandle.DangerousGetHandle()), FSetPipeSize, 1 << 20);
        }
        _out = process is null ? new BufferedStream(output, 1 << 20) : new QueuedWriteStream(output);
        MarksFile = marks;
        NewMarksFile = newMarks;
        if (process is not null)
        {
            _stderrPump = Task.Run(async () =>
            {
                string? l;
                while ((l = await process.StandardError.ReadLineAsync().ConfigureAwait(false)) is not null)
                {
                    lock (_stderr)
                    {
                        if (_stderr.Length < 100_000)
                        {
                            _stderr.AppendLine(l);
                        }
                    }
                }
            });
            _stdoutPump = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        }
    }

    /// <summary>
    /// Environment for git fast-import. fast-import allocates and frees a buffer per object; with
    /// glibc's default trim threshold every free shrinks the heap and the next object grows it
    /// again (about 60,000 brk calls for 3,000 revisions, half of git's time). Keeping up to
    /// 256 MB of freed memory in the process removes that cost without raising its peak memory.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Value)> FastImportEnvironment =
        [("MALLOC_TRIM_THRESHOLD_", "268435456"), ("MALLOC_TOP_PAD_", "16777216")];

    private const int FSetPipeSize = 1031;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int SetPipeSize(int fd, int command, int size);

    /// <summary>Starts <c>git fast-import</c> on a bare repository (created when missing).</summary>
    public static FastImportTarget StartGit(string name, string gitDir, string marks, bool importMarks)
    {
        var newMarks = marks + ".new";
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-C", gitDir, "fast-import", "--quiet", "--done", "--force", "--active-branches=200", "--depth=50", "--export-marks=" + newMarks })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in FastImportEnvironment)
        {
            psi.Environment[k] = v;
        }
        if (importMarks && File.Exists(marks))
        {
            psi.ArgumentList.Add("--import-marks=" + marks);
        }
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start git fast-import");
        return new FastImportTarget(name, gitDir, p, p.StandardInput.BaseStream, marks, newMarks);
    }

    /// <summary>Writes the stream to a file instead of a repository.</summary>
    public static FastImportTarget ToFile(string name, string path) =>
        new(name, null, null, new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), null, null);

    public void Write(string s)
    {
        var n = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (n <= _scratch.Length)
        {
            var len = Encoding.UTF8.GetBytes(s, _scratch);
            _out.Write(_scratch, 0, len);
        }
        else
        {
            _out.Write(Encoding.UTF8.GetBytes(s));
        }
    }

    public void Write(ReadOnlySpan<byte> bytes) => _out.Write(bytes);

    public void WriteByte(byte b) => _out.WriteByte(b);

    public void WriteNumber(long n)
    {
        Span<byte> tmp = stackalloc byte[24];
        n.TryFormat(tmp, out var len, default, CultureInfo.InvariantCulture);
        _out.Write(tmp[..len]);
    }

    /// <summary>Sends <c>done</c> and waits for git to finish; throws with git's message on failure.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        Write("done\n");
        await _out.FlushAsync(ct).ConfigureAwait(false);
        _out.Close();
        _finished = true;
        if (_process is not null)
        {
            await _process.WaitForExitAsync(ct).ConfigureAwait(false);
            await Task.WhenAll(_stderrPump!, _stdoutPump!).ConfigureAwait(false);
            if (_process.ExitCode != 0)
            {
                throw new InvalidOperationException($"git fast-import failed (exit {_process.ExitCode}): {StdErr.Trim()}");
            }
            if (NewMarksFile is not null && File.Exists(NewMarksFile))
            {
                File.Move(NewMarksFile, MarksFile!, overwrite: true);
            }
        }
    }

    /// <summary>True when the git process has exited on its own with an error.</summary>
    public bool HasFailed => _process is { HasExited: true, ExitCode: not 0 };

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Ends the stream without <c>done</c>: fast-import then exits with an error and updates no refs.</summary>
    public async Task AbortAsync()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        try
        {
            await _out.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
        try
        {
            _out.Close();
        }
        catch (IOException)
        {
        }
        if (_process is not null)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
            if (NewMarksFile is not null && File.Exists(NewMarksFile))
            {
                File.Delete(NewMarksFile);
            }
            // fast-import leaves a crash report for the stream we cut short on purpose.
            var crash = Path.Combine(GitDir!, "fast_import_crash_" + _process.Id.ToString(CultureInfo.InvariantCulture));
            if (File.Exists(crash))
            {
                File.Delete(crash);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AbortAsync().ConfigureAwait(false);
        _process?.Dispose();
    }

    private static readonly System.Buffers.SearchValues<char> NeedsQuoting = System.Buffers.SearchValues.Create("\n\\\"");

    /// <summary>Quotes a path for a fast-import file command when it needs it.</summary>
    public static string QuotePath(string path)
    {
        if (!path.StartsWith('"') && path.AsSpan().IndexOfAny(NeedsQuoting) < 0)
        {
            return path;
        }
        var sb = new StringBuilder("\"");
        foreach (var c in path)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\\' => "\\\\",
                '"' => "\\\"",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ProServ.Migration;

namespace ProServ.Migration.Tests;

/// <summary>Writes small format-2 dumps with correct lengths and checksums.</summary>
internal sealed class DumpBuilder
{
    public const string Uuid = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    private readonly MemoryStream _out = new();
    private int _rev;

    public DumpBuilder(bool standardLayout = true)
    {
        Raw($"SVN-fs-dump-format-version: 2\n\nUUID: {Uuid}\n\n");
        Raw("Revision-number: 0\nProp-content-length: 56\nContent-length: 56\n\nK 8\nsvn:date\nV 27\n2020-01-01T00:00:00.000000Z\nPROPS-END\n\n");
        if (standardLayout)
        {
            Rev("alice", "layout");
            Dir("trunk");
            Dir("branches");
            Dir("tags");
        }
    }

    public int Revision => _rev;

    public DumpBuilder Raw(string s)
    {
        _out.Write(Encoding.UTF8.GetBytes(s));
        return this;
    }

    public DumpBuilder Rev(string? author, string log, string? date = null)
    {
        _rev++;
        var props = new Dictionary<string, string> { ["svn:log"] = log, ["svn:date"] = date ?? $"2020-01-{(_rev % 28) + 1:00}T10:00:{_rev % 60:00}.000000Z" };
        if (author is not null)
        {
            props["svn:author"] = author;
        }
        var p = Props(props);
        Raw($"Revision-number: {_rev}\nProp-content-length: {p.Length}\nContent-length: {p.Length}\n\n");
        _out.Write(p);
        Raw("\n");
        return this;
    }

    public DumpBuilder Dir(string path, Dictionary<string, string>? props = null, string action = "add") =>
        Node(path, "dir", action, null, props ?? []);

    public DumpBuilder File(string path, string text, Dictionary<string, string>? props = null, string action = "add") =>
        Node(path, "file", action, Encoding.UTF8.GetBytes(text), props ?? (action == "add" ? [] : null));

    public DumpBuilder Copy(string path, string from, int fromRev, string kind = "dir", string action = "add") =>
        Node(path, kind, action, null, null, (from, fromRev));

    public DumpBuilder Delete(string path) => Raw($"Node-path: {path}\nNode-action: delete\n\n\n");

    public DumpBuilder Node(string path, string? kind, string action, byte[]? text, Dictionary<string, string>? props, (string Path, int Rev)? copy = null)
    {
        var h = new StringBuilder();
        h.Append("Node-path: ").Append(path).Append('\n');
        if (kind is not null)
        {
            h.Append("Node-kind: ").Append(kind).Append('\n');
        }
        h.Append("Node-action: ").Append(action).Append('\n');
        if (copy is { } c)
        {
            h.Append(CultureInfo.InvariantCulture, $"Node-copyfrom-rev: {c.Rev}\nNode-copyfrom-path: {c.Path}\n");
        }
        var p = props is null ? [] : Props(props);
        if (props is not null)
        {
            h.Append(CultureInfo.InvariantCulture, $"Prop-content-length: {p.Length}\n");
        }
        if (text is not null)
        {
            h.Append(CultureInfo.InvariantCulture, $"Text-content-length: {text.Length}\nText-content-md5: {Convert.ToHexStringLower(MD5.HashData(text))}\n");
        }
        if (props is not null || text is not null)
        {
            h.Append(CultureInfo.InvariantCulture, $"Content-length: {p.Length + (text?.Length ?? 0)}\n");
        }
        h.Append('\n');
        Raw(h.ToString());
        _out.Write(p);
        if (text is not null)
        {
            _out.Write(text);
        }
        Raw("\n\n");
        return this;
    }

    public static byte[] Props(Dictionary<string, string> props)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in props)
        {
            sb.Append(CultureInfo.InvariantCulture, $"K {Encoding.UTF8.GetByteCount(k)}\n{k}\nV {Encoding.UTF8.GetByteCount(v)}\n{v}\n");
        }
        sb.Append("PROPS-END\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public byte[] Bytes() => _out.ToArray();

    public override string ToString() => Encoding.UTF8.GetString(Bytes());
}

/// <summary>A temporary directory with helpers to convert dumps and read git.</summary>
internal sealed class Sandbox : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("proserv-test-").FullName;

    public string GitDir => Path.Combine(Dir, "out.git");

    public string Write(string name, byte[] content)
    {
        var p = Path.Combine(Dir, name);
        System.IO.File.WriteAllBytes(p, content);
        return p;
    }

    public async Task<ConversionReport> ConvertAsync(DumpBuilder dump, Func<SvnConversionOptions, SvnConversionOptions>? configure = null, string name = "repo.dump")
    {
        var path = Write(name, dump.Bytes());
        var options = new SvnConversionOptions { Source = path, OutputGitDir = GitDir };
        options = configure?.Invoke(options) ?? options;
        return await new SvnToGitConverter(TimeProvider.System).ConvertAsync(options, TestContext.Current.CancellationToken);
    }

    public string Git(params string[] args) => Run("git", ["-C", GitDir, .. args]);

    public static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        // stderr by events, stdout here: neither pipe can fill up and stall the tool.
        var err = new System.Text.StringBuilder();
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (err)
                {
                    err.Append(e.Data).Append('\n');
                }
            }
        };
        p.BeginErrorReadLine();
        var o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            lock (err)
            {
                throw new InvalidOperationException($"{tool} {string.Join(' ', args)}: {err}");
            }
        }
        return o;
    }

    /// <summary>"mode path" lines of a ref's tree (blob contents via <see cref="Show"/>).</summary>
    public List<string> Tree(string rev) =>
        Git("ls-tree", "-r", "--full-tree", rev).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0] + " " + l[(l.IndexOf('\t', StringComparison.Ordinal) + 1)..]).ToList();

    public string Show(string rev, string path) => Git("show", rev + ":" + path);

    /// <summary>Refs of the output; none when a failed run removed the repository it had created.</summary>
    public List<string> Refs() => !Directory.Exists(GitDir) ? [] :
        Git("for-each-ref", "--format=%(refname) %(objecttype)").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    public string[] Parents(string rev) => Git("log", "-1", "--format=%P", rev).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public string Subject(string rev) => Git("log", "-1", "--format=%s", rev).Trim();

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("PROSERV_KEEP_TEST_DIRS") is not null)
        {
            return;
        }
        try
        {
            Directory.Delete(Dir, true);
        }
        catch (IOException)
        {
        }
    }
}

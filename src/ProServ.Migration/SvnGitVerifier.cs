using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ProServ.Migration.Git;

namespace ProServ.Migration;

/// <summary>
/// Compares each converted ref with an independent <c>svn export</c> of its SVN path, so a bug in
/// the converter's own tree reconstruction cannot hide itself.
/// </summary>
public static class SvnGitVerifier
{
    /// <summary>Verifies <paramref name="refs"/> against the repository at <paramref name="svnRepository"/>.</summary>
    /// <param name="svnRepository">Local SVN repository path.</param>
    /// <param name="dumpRevisions">Revision numbers in dump order (svnadmin load renumbers them 1..N); empty for identity.</param>
    /// <param name="refs">Refs to check.</param>
    /// <param name="gitDirOf">Git directory for a repository name.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<List<VerifyResult>> VerifyAsync(string svnRepository, IReadOnlyList<int> dumpRevisions, IEnumerable<RefReport> refs,
        Func<string, string> gitDirOf, CancellationToken ct)
    {
        var results = new List<VerifyResult>();
        var tmpRoot = Path.Combine(Path.GetTempPath(), "proserv-export-" + Guid.NewGuid().ToString("N"));
        var renumber = dumpRevisions.Count > 0 && dumpRevisions.Where(r => r > 0).Select((r, i) => r != i + 1).Any(x => x);
        try
        {
            var n = 0;
            foreach (var r in refs)
            {
                var rev = r.Revision;
                if (renumber)
                {
                    rev = dumpRevisions.Count(x => x > 0 && x <= r.Revision);
                }
                var gitDir = gitDirOf(r.Repository);
                var exportDir = Path.Combine(tmpRoot, (n++).ToString(CultureInfo.InvariantCulture));
                var diffs = new List<string>();
                try
                {
                    diffs = await CompareAsync(svnRepository, r.SvnPath, rev, gitDir, r.Ref, r.Prefix, exportDir, ct).ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    diffs.Add("error: " + e.Message);
                }
                results.Add(new VerifyResult(r.Ref, r.SvnPath, r.Revision, diffs.Count == 0, diffs));
            }
        }
        finally
        {
            if (Directory.Exists(tmpRoot))
            {
                Directory.Delete(tmpRoot, true);
            }
        }
        return results;
    }

    private static async Task<List<string>> CompareAsync(string repo, string svnPath, int rev, string gitDir, string refName, string prefix, string exportDir, CancellationToken ct)
    {
        var url = "file://" + string.Join('/', repo.Split('/').Select(Uri.EscapeDataString))
            + (svnPath.Length == 0 ? "" : "/" + string.Join('/', svnPath.Split('/').Select(Uri.EscapeDataString)))
            + "@" + rev.ToString(CultureInfo.InvariantCulture);
        await GitCli.RunAsync("svn", ct, "export", "-q", "--force", "--ignore-keywords", "--ignore-externals", url, exportDir).ConfigureAwait(false);
        var svnFiles = new SortedDictionary<string, (string Mode, string Sha, string Full)>(StringComparer.Ordinal);
        if (Directory.Exists(exportDir))
        {
            Walk(exportDir, "", svnFiles, prefix);
        }
        else if (File.Exists(exportDir))
        {
            return [$"{svnPath}@{rev} is a file, not a directory"];
        }
        var git = new Dictionary<string, (string Mode, string Sha)>(StringComparer.Ordinal);
        var ls = await GitCli.RunAsync("git", ct, "-C", gitDir, "ls-tree", "-r", "-z", "--full-tree", refName + "^{tree}").ConfigureAwait(false);
        foreach (var entry in ls.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var meta = entry[..tab].Split(' ');
            git[entry[(tab + 1)..]] = (meta[0], meta[2]);
        }
        var diffs = new List<string>();
        foreach (var (path, s) in svnFiles)
        {
            if (diffs.Count >= 10)
            {
                break;
            }
            if (!git.TryGetValue(path, out var g))
            {
                diffs.Add($"{path}: only in svn");
                continue;
            }
            if (g.Mode != s.Mode)
            {
                diffs.Add($"{path}: mode {g.Mode} in git, {s.Mode} in svn");
            }
            else if (g.Sha != s.Sha && !await SameIgnoringEolAsync(gitDir, g.Sha, s.Full, ct).ConfigureAwait(false))
            {
                diffs.Add($"{path}: content differs");
            }
        }
        foreach (var path in git.Keys.Order(StringComparer.Ordinal))
        {
            if (diffs.Count >= 10)
            {
                break;
            }
            var name = path[(path.LastIndexOf('/') + 1)..];
            if (!svnFiles.ContainsKey(path) && name is not (".gitignore" or ".gitkeep"))
            {
                diffs.Add($"{path}: only in git");
            }
        }
        return diffs;
    }

    private static async Task<bool> SameIgnoringEolAsync(string gitDir, string sha, string file, CancellationToken ct)
    {
        if (new FileInfo(file).LinkTarget is not null)
        {
            return false;
        }
        var gitText = await GitCli.RunAsync("git", ct, "-C", gitDir, "cat-file", "blob", sha).ConfigureAwait(false);
        var svnText = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
        return string.Equals(gitText.Replace("\r\n", "\n", StringComparison.Ordinal), svnText.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static void Walk(string dir, string rel, SortedDictionary<string, (string, string, string)> files, string prefix)
    {
        foreach (var e in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            var path = rel.Length == 0 ? e.Name : rel + "/" + e.Name;
            if (e.LinkTarget is { } target)
            {
                files[prefix + path] = ("120000", BlobSha(Encoding.UTF8.GetBytes(target)), e.FullName);
            }
            else if (e is DirectoryInfo)
            {
                Walk(e.FullName, path, files, prefix);
            }
            else
            {
                var exec = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(e.FullName) & UnixFileMode.UserExecute) != 0;
                files[prefix + path] = (exec ? "100755" : "100644", BlobSha(File.ReadAllBytes(e.FullName)), e.FullName);
            }
        }
    }

    private static string BlobSha(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes("blob " + content.Length.ToString(CultureInfo.InvariantCulture) + "\0");
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        h.AppendData(header);
        h.AppendData(content);
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }
}

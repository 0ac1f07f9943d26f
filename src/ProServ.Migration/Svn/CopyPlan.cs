using System.Diagnostics;
using System.Globalization;
using System.Xml;

namespace ProServ.Migration.Svn;

/// <summary>
/// The revisions that copies read from, and the last revision that reads each one, learnt before
/// converting (a header pass over the dump, or <c>svn log</c> of a repository). The converter keeps
/// a revision's tree only while a later copy still needs it, so the memory held for history does
/// not grow with the number of revisions.
/// </summary>
internal sealed class CopyPlan
{
    private readonly Dictionary<int, int> _lastUse = [];
    private Dictionary<int, List<int>>? _expiring;

    /// <summary>Records that revision <paramref name="atRevision"/> copies from <paramref name="sourceRevision"/>.</summary>
    public void AddCopy(int sourceRevision, int atRevision)
    {
        if (!_lastUse.TryGetValue(sourceRevision, out var last) || last < atRevision)
        {
            _lastUse[sourceRevision] = atRevision;
        }
        _expiring = null;
    }

    /// <summary>The last revision that copies from <paramref name="revision"/>, or -1.</summary>
    public int LastUseOf(int revision) => _lastUse.TryGetValue(revision, out var last) ? last : -1;

    /// <summary>True when a later revision copies from <paramref name="revision"/>.</summary>
    public bool IsSource(int revision) => _lastUse.ContainsKey(revision);

    /// <summary>Source revisions no copy reads after <paramref name="revision"/>.</summary>
    public IReadOnlyList<int> ExpiringAfter(int revision)
    {
        if (_expiring is null)
        {
            _expiring = [];
            foreach (var (source, last) in _lastUse)
            {
                if (!_expiring.TryGetValue(last, out var list))
                {
                    _expiring[last] = list = [];
                }
                list.Add(source);
            }
        }
        return _expiring.TryGetValue(revision, out var l) ? l : [];
    }
}

/// <summary>Builds a <see cref="CopyPlan"/> for a repository from <c>svn log -v --xml</c>, which takes a fraction of the dump's time.</summary>
internal static class SvnLogPlanner
{
    public static async Task<(CopyPlan Plan, HashSet<string> Authors)> ReadAsync(string repository, int youngest, CancellationToken ct)
    {
        var plan = new CopyPlan();
        var authors = new HashSet<string>(StringComparer.Ordinal);
        if (youngest < 1)
        {
            return (plan, authors);
        }
        var psi = new ProcessStartInfo("svn")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "log", "-v", "-q", "--xml", "--non-interactive", "-r", "1:" + youngest.ToString(CultureInfo.InvariantCulture), new Uri(repository).AbsoluteUri })
        {
            psi.ArgumentList.Add(a);
        }
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new MigrationException("could not start svn");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new MigrationException("converting a repository needs the svn client (Debian package subversion): " + e.Message);
        }
        using (p)
        {
            var err = p.StandardError.ReadToEndAsync(ct);
            XmlException? broken = null;
            try
            {
                using (var xr = XmlReader.Create(p.StandardOutput.BaseStream, new XmlReaderSettings { Async = true, DtdProcessing = DtdProcessing.Prohibit }))
                {
                    var rev = 0;
                    while (await xr.ReadAsync().ConfigureAwait(false))
                    {
                        if (xr.NodeType != XmlNodeType.Element)
                        {
                            continue;
                        }
                        switch (xr.LocalName)
                        {
                            case "logentry":
                                rev = int.Parse(xr.GetAttribute("revision") ?? "0", CultureInfo.InvariantCulture);
                                break;
                            case "author":
                                authors.Add(await xr.ReadElementContentAsStringAsync().ConfigureAwait(false));
                                break;
                            case "path" when xr.GetAttribute("copyfrom-rev") is { } cfr:
                                plan.AddCopy(int.Parse(cfr, CultureInfo.InvariantCulture), rev);
                                break;
                        }
                    }
                }
            }
            catch (XmlException e)
            {
                // svn stopped half-way (a damaged repository): its own message follows below.
                broken = e;
            }
            await p.WaitForExitAsync(ct).ConfigureAwait(false);
            if (p.ExitCode != 0 || broken is not null)
            {
                throw new MigrationException($"svn log failed (exit {p.ExitCode}): {(await err.ConfigureAwait(false)).Trim()} {broken?.Message}".TrimEnd());
            }
        }
        return (plan, authors);
    }
}

namespace ProServ.Migration;

/// <summary>Maps SVN user names to git identities; file lines are <c>svnuser = Full Name &lt;email&gt;</c>.</summary>
public sealed class AuthorMap
{
    private readonly Dictionary<string, (string Name, string Email)> _map = new(StringComparer.Ordinal);

    /// <summary>Number of entries.</summary>
    public int Count => _map.Count;

    /// <summary>Parses an authors file; blank lines and lines starting with # are skipped.</summary>
    public static AuthorMap Parse(string text)
    {
        var map = new AuthorMap();
        var n = 0;
        foreach (var raw in text.Split('\n'))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var lt = line.LastIndexOf('<');
            var gt = line.LastIndexOf('>');
            if (eq <= 0 || lt < eq || gt < lt)
            {
                throw new FormatException($"authors line {n}: expected 'svnuser = Full Name <email>'");
            }
            map._map[line[..eq].Trim()] = (line[(eq + 1)..lt].Trim(), line[(lt + 1)..gt].Trim());
        }
        return map;
    }

    /// <summary>Looks up an SVN user.</summary>
    public bool TryGet(string svnUser, out (string Name, string Email) identity) => _map.TryGetValue(svnUser, out identity);
}

using System.Globalization;

namespace ProServ.Migration.Conversion;

internal enum NodeAction
{
    Add,
    Change,
    Delete,
    Replace,
}

/// <summary>A path a node record of the revision acted on.</summary>
internal readonly record struct TouchedPath(string Path, NodeAction Action);

/// <summary>Where a copy read from.</summary>
internal readonly record struct CopySource(string Path, int Revision);

/// <summary>The revision being converted: its properties and what its node records did.</summary>
internal sealed class Revision
{
    public int Number { get; private set; } = -1;

    public string Author { get; private set; } = "";

    /// <summary>svn:date in seconds since the epoch (0 without one).</summary>
    public long Date { get; private set; }

    public string Log { get; private set; } = "";

    /// <summary>Revisions up to this one were converted by an earlier run: they are read again but not written.</summary>
    public int ReplayUntil { get; set; } = -1;

    /// <summary>An author is missing: the rest is only read, to list every missing author at once.</summary>
    public bool ScanOnly { get; set; }

    /// <summary>Whether this revision writes to the streams.</summary>
    public bool Emit => Number > ReplayUntil && !ScanOnly;

    public List<TouchedPath> Touched { get; } = [];

    /// <summary>Copy sources by the path copied to.</summary>
    public Dictionary<string, CopySource> Copies { get; } = new(StringComparer.Ordinal);

    public RevisionMeta Meta => new(Author, Date, Log);

    public void Start(int number, Dictionary<string, string>? props)
    {
        Number = number;
        props ??= [];
        Author = props.GetValueOrDefault("svn:author") ?? "";
        Log = props.GetValueOrDefault("svn:log") ?? "";
        Date = props.TryGetValue("svn:date", out var d)
            && DateTimeOffset.TryParse(d, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dt)
            ? dt.ToUnixTimeSeconds() : 0;
        Touched.Clear();
        Copies.Clear();
    }

    /// <summary>Whether <paramref name="root"/> was deleted, replaced or copied anew this revision (itself or a directory above it).</summary>
    public bool Replaced(string root)
    {
        foreach (var (path, action) in Touched)
        {
            if (action is NodeAction.Replace or NodeAction.Delete or NodeAction.Add && (path == root || path.Length == 0 || root.StartsWith(path + "/", StringComparison.Ordinal)))
            {
                if (action == NodeAction.Add && path != root && !Copies.ContainsKey(path))
                {
                    continue;
                }
                return true;
            }
        }
        return false;
    }

    /// <summary>Where <paramref name="root"/> was copied from this revision, itself or with a directory above it.</summary>
    public CopySource? CopySourceOf(string root)
    {
        var p = root;
        while (true)
        {
            if (Copies.TryGetValue(p, out var source))
            {
                var suffix = root[p.Length..];
                return new CopySource((source.Path + suffix).Trim('/'), source.Revision);
            }
            if (p.Length == 0)
            {
                return null;
            }
            var i = p.LastIndexOf('/');
            p = i < 0 ? "" : p[..i];
        }
    }
}

/// <summary>Hands out fast-import marks; one sequence for all repositories of a conversion.</summary>
internal sealed class Marks
{
    public int Next { get; private set; } = 1;

    public int Take() => Next++;
}

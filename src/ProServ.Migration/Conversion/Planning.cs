using System.Globalization;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>
/// What is learnt before anything is written: which revisions copies read from (so only those
/// revisions' trees are kept in memory), the last revision, and the authors missing from the
/// authors file.
/// </summary>
internal sealed record PlanResult(CopyPlan Plan, HashSet<string> MissingAuthors, int? LastRevision)
{
    /// <summary>
    /// Reads the headers of a dump (contents are skipped). Touches no state of a run, so it can
    /// run beside the conversion.
    /// </summary>
    public static PlanResult Prescan(Stream dump, AuthorMap? authors)
    {
        var plan = new CopyPlan();
        var missing = new HashSet<string>(StringComparer.Ordinal);
        int? last = null;
        using var reader = new DumpReader(dump);
        while (reader.Next() is { } record)
        {
            if (record.Get("Revision-number") is { } number)
            {
                reader.CurrentRevision = int.Parse(number, CultureInfo.InvariantCulture);
                last = reader.CurrentRevision;
                if (authors is not null && record.Props is { } p && p.TryGetValue("svn:author", out var author) && !authors.TryGet(author, out _))
                {
                    missing.Add(author);
                }
            }
            else if (record.Get("Node-copyfrom-rev") is { } copyFrom && int.TryParse(copyFrom, NumberStyles.None, CultureInfo.InvariantCulture, out var source))
            {
                plan.AddCopy(source, reader.CurrentRevision);
            }
        }
        return new PlanResult(plan, missing, last);
    }
}

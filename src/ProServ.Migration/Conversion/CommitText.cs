using System.Globalization;
using System.Text;
using ProServ.Migration.Git;

namespace ProServ.Migration.Conversion;

/// <summary>Git identities and messages from SVN revision properties.</summary>
internal static class CommitText
{
    /// <summary>The authors file's identity, else "Name &lt;email&gt;" as written, else the name at the repository's UUID.</summary>
    public static Signature Signature(string author, long date, AuthorMap? authors, string? uuid)
    {
        var (name, email) = Identity(author, authors, uuid);
        return new Signature(name, email, date);
    }

    private static (string Name, string Email) Identity(string author, AuthorMap? authors, string? uuid)
    {
        if (author.Length == 0)
        {
            return ("(no author)", "(no author)@" + (uuid ?? "unknown"));
        }
        if (authors is not null && authors.TryGet(author, out var id))
        {
            return id;
        }
        var lt = author.IndexOf('<', StringComparison.Ordinal);
        var gt = author.LastIndexOf('>');
        if (lt >= 0 && gt > lt)
        {
            return (author[..lt].Trim(), author[(lt + 1)..gt].Trim());
        }
        var clean = author.Replace("<", "", StringComparison.Ordinal).Replace(">", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return (clean, clean + "@" + (uuid ?? "unknown"));
    }

    /// <summary>The log with LF line ends and one final newline (none when empty), with the optional SVN-Revision trailer.</summary>
    public static byte[] CommitMessage(string log, int revision, bool revisionTrailer)
    {
        var msg = log.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        if (msg.Length > 0)
        {
            msg += "\n";
        }
        if (revisionTrailer)
        {
            msg += (msg.Length > 0 ? "\n" : "") + "SVN-Revision: " + revision.ToString(CultureInfo.InvariantCulture) + "\n";
        }
        return Encoding.UTF8.GetBytes(msg);
    }

    public static byte[] TagMessage(string log) =>
        Encoding.UTF8.GetBytes(log.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n");
}

using System.Text;
using ProServ.Migration.Svn;

namespace ProServ.Migration.Conversion;

/// <summary>svn:ignore and svn:global-ignores of a directory as the text of its .gitignore.</summary>
internal static class GitignoreText
{
    /// <summary>svn:ignore patterns apply to the directory only (anchored with <c>/</c>); global ignores to everything below it.</summary>
    public static string Of(SvnDir? dir)
    {
        if (dir is null || dir.Props.IsEmpty)
        {
            return "";
        }
        var ignore = dir.Prop("svn:ignore");
        var globalIgnores = dir.Prop("svn:global-ignores");
        if (ignore is null && globalIgnores is null)
        {
            return "";
        }
        var sb = new StringBuilder();
        foreach (var line in (ignore ?? "").Split('\n'))
        {
            var pattern = line.Trim();
            if (pattern.Length > 0)
            {
                sb.Append('/').Append(pattern).Append('\n');
            }
        }
        foreach (var line in (globalIgnores ?? "").Split('\n'))
        {
            var pattern = line.Trim();
            if (pattern.Length > 0)
            {
                sb.Append(pattern).Append('\n');
            }
        }
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ProServ.Migration.Layout;

/// <summary>Where an SVN path lands in git.</summary>
/// <param name="Repository">Target repository name ("" for the single output repository).</param>
/// <param name="Ref">Full ref the line of development writes to, e.g. refs/heads/main.</param>
/// <param name="IsTag">True when the line of development is a tag (annotated when never modified).</param>
/// <param name="BranchRoot">The SVN directory that is the root of the line of development.</param>
/// <param name="Prefix">Path prefix inside the git tree ("" or ending with '/').</param>
/// <param name="RelativePath">Path below <paramref name="BranchRoot"/> ("" for the root itself).</param>
public sealed record Placement(string Repository, string Ref, bool IsTag, string BranchRoot, string Prefix, string RelativePath);

/// <summary>One <c>match</c> block of a rules file.</summary>
public sealed record LayoutRule(Regex Pattern, string? Repository, string? Branch, bool Tag, string Prefix, int MinRevision, int MaxRevision, bool Ignore, int Line);

/// <summary>
/// Ordered rules mapping SVN paths to git repositories and refs; the first matching rule wins.
/// The standard layout is the rule set trunk → main, branches/X → X, tags/X → tag X.
/// </summary>
public sealed class LayoutRules
{
    private readonly List<LayoutRule> _rules;

    private LayoutRules(List<LayoutRule> rules) => _rules = rules;

    /// <summary>The rules, in order.</summary>
    public IReadOnlyList<LayoutRule> Rules => _rules;

    /// <summary>Repository names the rules write to ("" is the output directory itself).</summary>
    public IReadOnlyList<string> Repositories =>
        _rules.Where(r => !r.Ignore).Select(r => r.Repository ?? "").Distinct(StringComparer.Ordinal).DefaultIfEmpty("").ToList();

    /// <summary>trunk/, branches/NAME/, tags/NAME/.</summary>
    public static LayoutRules Standard(string trunkBranch = "main") => new(
    [
        new(new Regex("^trunk/", RegexOptions.CultureInvariant), null, trunkBranch, false, "", 0, int.MaxValue, false, 0),
        new(new Regex("^branches/([^/]+)/", RegexOptions.CultureInvariant), null, "\\1", false, "", 0, int.MaxValue, false, 0),
        new(new Regex("^tags/([^/]+)/", RegexOptions.CultureInvariant), null, "\\1", true, "", 0, int.MaxValue, false, 0),
    ]);

    /// <summary>The whole repository is one branch.</summary>
    public static LayoutRules Root(string trunkBranch = "main") => new(
    [
        new(new Regex("^", RegexOptions.CultureInvariant), null, trunkBranch, false, "", 0, int.MaxValue, false, 0),
    ]);

    /// <summary>Parses a rules file; see docs/migration-svn.md for the format.</summary>
    public static LayoutRules Parse(string text)
    {
        var rules = new List<LayoutRule>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]).Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (!line.StartsWith("match ", StringComparison.Ordinal))
            {
                throw new FormatException($"rules line {i + 1}: expected 'match REGEX', found \"{line}\"");
            }
            var startLine = i + 1;
            Regex regex;
            try
            {
                regex = new Regex(line[6..].Trim(), RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"rules line {startLine}: invalid regular expression: {e.Message}");
            }
            string? repo = null, branch = null, prefix = "";
            var tag = false;
            var ignore = false;
            int min = 0, max = int.MaxValue;
            var closed = false;
            for (i++; i < lines.Length; i++)
            {
                var l = StripComment(lines[i]).Trim();
                if (l.Length == 0)
                {
                    continue;
                }
                if (l == "end match")
                {
                    closed = true;
                    break;
                }
                var sp = l.IndexOf(' ', StringComparison.Ordinal);
                var key = sp < 0 ? l : l[..sp];
                var val = sp < 0 ? "" : l[(sp + 1)..].Trim();
                switch (key)
                {
                    case "repository": repo = val; break;
                    case "branch": branch = val; break;
                    case "tag": branch = val; tag = true; break;
                    case "prefix": prefix = val.Length == 0 || val.EndsWith('/') ? val : val + "/"; break;
                    case "min-revision": min = ParseInt(val, i); break;
                    case "max-revision": max = ParseInt(val, i); break;
                    case "action":
                        if (val is not ("ignore" or "export"))
                        {
                            throw new FormatException($"rules line {i + 1}: action must be 'export' or 'ignore'");
                        }
                        ignore = val == "ignore";
                        break;
                    default:
                        throw new FormatException($"rules line {i + 1}: unknown key '{key}'");
                }
            }
            if (!closed)
            {
                throw new FormatException($"rules line {startLine}: 'match' block has no 'end match'");
            }
            if (!ignore && branch is null)
            {
                throw new FormatException($"rules line {startLine}: a match block needs 'branch NAME', 'tag NAME' or 'action ignore'");
            }
            if (branch is not null && branch.StartsWith("refs/tags/", StringComparison.Ordinal))
            {
                tag = true;
                branch = branch["refs/tags/".Length..];
            }
            rules.Add(new LayoutRule(regex, repo, branch, tag, prefix, min, max, ignore, startLine));
        }
        if (rules.Count == 0)
        {
            throw new FormatException("rules file has no match blocks");
        }
        return new LayoutRules(rules);
    }

    private static int ParseInt(string s, int line) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"rules line {line + 1}: '{s}' is not a revision number");

    private static string StripComment(string l)
    {
        var t = l.TrimStart();
        return t.StartsWith('#') ? "" : l.TrimEnd('\r');
    }

    /// <summary>Classifies an SVN path at a revision; null when no rule matches; a placement with an empty Ref when ignored.</summary>
    public Placement? Classify(string path, int revision)
    {
        var probe = path.Length == 0 ? "" : path + "/";
        foreach (var r in _rules)
        {
            if (revision < r.MinRevision || revision > r.MaxRevision)
            {
                continue;
            }
            var m = r.Pattern.Match(probe);
            if (!m.Success || m.Index != 0)
            {
                continue;
            }
            var end = m.Length;
            if (end > 0 && probe[end - 1] != '/')
            {
                if (end < probe.Length && probe[end] != '/')
                {
                    continue;
                }
                end++;
            }
            if (r.Ignore)
            {
                return new Placement(r.Repository ?? "", "", false, "", "", "");
            }
            var root = end == 0 ? "" : probe[..(end - 1)];
            var rel = end >= probe.Length ? "" : probe[end..^1];
            var name = Expand(r.Branch!, m);
            var refName = r.Tag ? "refs/tags/" + SanitizeRefPart(name)
                : name.StartsWith("refs/", StringComparison.Ordinal) ? "refs/" + SanitizeRefPart(name[5..]) : "refs/heads/" + SanitizeRefPart(name);
            return new Placement(r.Repository ?? "", refName, r.Tag, root, r.Prefix, rel);
        }
        return null;
    }

    private static string Expand(string template, Match m)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '\\' && i + 1 < template.Length && char.IsAsciiDigit(template[i + 1]))
            {
                sb.Append(m.Groups[template[i + 1] - '0'].Value);
                i++;
            }
            else
            {
                sb.Append(template[i]);
            }
        }
        return sb.ToString();
    }

    /// <summary>Replaces characters git does not allow in ref names.</summary>
    public static string SanitizeRefPart(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            sb.Append(c <= ' ' || c == 0x7f || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\' ? '_' : c);
        }
        var s = sb.ToString().Replace("..", "__", StringComparison.Ordinal).Replace("@{", "_{", StringComparison.Ordinal);
        if (s.EndsWith(".lock", StringComparison.Ordinal))
        {
            s = s[..^5] + "_lock";
        }
        s = s.Trim('/');
        if (s.EndsWith('.'))
        {
            s = s[..^1] + "_";
        }
        if (s.StartsWith('.') || s.Contains("/.", StringComparison.Ordinal))
        {
            s = s.Replace("/.", "/_", StringComparison.Ordinal);
            if (s.StartsWith('.'))
            {
                s = "_" + s[1..];
            }
        }
        return s.Length == 0 ? "_" : s;
    }
}

using System.Globalization;
using System.Text;

namespace ProServ.Core.Features.Board;

/// A filter over issues. Its query-string form is the stable URL of the filter (the issue list's URL, a saved view, a board's filter).
public sealed record IssueQuery(
    string? Search = null,
    string? Type = null,
    IReadOnlyList<string>? Labels = null,
    string? Assignee = null,
    Guid? CustomerId = null,
    string? State = null,
    DateOnly? DueBefore = null,
    Guid? EngagementId = null)
{
    public static IssueQuery Parse(string? queryString)
    {
        var q = new IssueQuery();
        if (string.IsNullOrWhiteSpace(queryString))
        {
            return q;
        }
        var labels = new List<string>();
        foreach (var part in queryString.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((eq < 0 ? part : part[..eq]).Replace('+', ' ')).Trim();
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' ')).Trim();
            if (value.Length == 0) continue;
            switch (key.ToLowerInvariant())
            {
                case "search": q = q with { Search = value }; break;
                case "type": q = q with { Type = value }; break;
                case "label": labels.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "assignee": q = q with { Assignee = value }; break;
                case "customerid": q = q with { CustomerId = Guid.TryParse(value, out var c) ? c : null }; break;
                case "engagementid": q = q with { EngagementId = Guid.TryParse(value, out var e) ? e : null }; break;
                case "state": q = q with { State = value }; break;
                case "duebefore":
                    q = q with { DueBefore = DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null };
                    break;
            }
        }
        return labels.Count == 0 ? q : q with { Labels = labels };
    }

    /// The canonical query string (without '?'): equal filters give equal strings.
    public string ToQueryString()
    {
        var sb = new StringBuilder();
        void Add(string key, string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            if (sb.Length > 0) sb.Append('&');
            sb.Append(key).Append('=').Append(Uri.EscapeDataString(value.Trim()));
        }
        Add("search", Search);
        Add("type", Type);
        foreach (var l in Labels ?? [])
        {
            Add("label", l);
        }
        Add("assignee", Assignee);
        Add("customerId", CustomerId?.ToString());
        Add("engagementId", EngagementId?.ToString());
        Add("state", State);
        Add("dueBefore", DueBefore?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// Combines a board's own filter with a further filter (the second narrows the first).
    public IssueQuery Narrow(IssueQuery other) => new(
        Search: string.IsNullOrWhiteSpace(other.Search) ? Search : other.Search,
        Type: other.Type ?? Type,
        Labels: [.. Labels ?? [], .. other.Labels ?? []],
        Assignee: other.Assignee ?? Assignee,
        CustomerId: other.CustomerId ?? CustomerId,
        State: other.State ?? State,
        DueBefore: other.DueBefore ?? DueBefore,
        EngagementId: other.EngagementId ?? EngagementId);
}

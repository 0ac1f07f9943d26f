using System.Globalization;
using System.Text;

namespace ProServ.Core.Features.SowRequests;

/// What a filed SOW request puts on the board: the issue's labels and description.
internal static class SowRequestBoardIssue
{
    /// Scoped labels are exclusive on the board, as in GitLab, so several `offering::…` labels cannot share an issue:
    /// a request for several offerings is labelled `offering::multiple` plus one plain label per offering slug.
    internal static IReadOnlyList<string> Labels(IReadOnlyList<string> labels)
    {
        const string prefix = "offering::";
        var offerings = labels.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (offerings.Count <= 1)
        {
            return labels;
        }
        return [.. labels.Where(l => !l.StartsWith(prefix, StringComparison.Ordinal)), prefix + "multiple", .. offerings.Select(l => l[prefix.Length..])];
    }

    internal static string Description(SowRequest r, string customer, string offerings)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"SOW request for **{customer}**: {offerings}.\n\n");
        sb.Append("## Business goals\n\n").Append(r.Goals).Append("\n\n");
        sb.Append("## Current environment\n\n");
        sb.Append("- VCS: ").Append(r.EnvironmentVcs ?? "—").Append('\n');
        sb.Append("- CI: ").Append(r.EnvironmentCi ?? "—").Append('\n');
        sb.Append("- Authentication: ").Append(r.EnvironmentAuthentication ?? "—").Append('\n');
        sb.Append("- Users: ").Append(r.EnvironmentUsers ?? "—").Append("\n\n");
        sb.Append("## Desired timeline\n\n").Append(r.Timeline).Append('\n');
        if (!string.IsNullOrWhiteSpace(r.UseCase))
        {
            sb.Append("\n## Use case (training only)\n\n").Append(r.UseCase).Append('\n');
        }
        return sb.ToString();
    }
}

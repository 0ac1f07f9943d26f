using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Board;

/// The issues a query asks for, within those the actor may see; shared by the issue list and the board.
internal static class IssueQueryFilters
{
    /// Issues the actor may see: everything for the team; for a customer contact only its customer's issues that are not confidential.
    public static IQueryable<Issue> Visible(ProServDbContext db, Actor actor)
    {
        var q = db.Issues.VisibleTo(actor);
        return actor.IsStaff ? q : q.Where(i => !i.Confidential);
    }

    public static async Task<IQueryable<Issue>> FilterAsync(ProServDbContext db, Actor actor, IssueQuery query, CancellationToken ct)
    {
        var q = Visible(db, actor);
        if (!string.IsNullOrWhiteSpace(query.Type))
        {
            var type = query.Type.Trim().ToLowerInvariant();
            q = q.Where(i => i.Type == type);
        }
        switch (query.State?.Trim().ToLowerInvariant())
        {
            case "open" or "opened": q = q.Where(i => i.State == Issue.Open); break;
            case "closed": q = q.Where(i => i.State == Issue.Closed); break;
        }
        if (query.Labels is { Count: > 0 })
        {
            var keys = query.Labels.Select(LabelRules.KeyOf).Distinct(StringComparer.Ordinal).ToList();
            var ids = await db.Labels.Where(l => keys.Contains(l.Key)).Select(l => l.Id).ToListAsync(ct);
            if (ids.Count < keys.Count)
            {
                return q.Where(i => false);
            }
            foreach (var labelId in ids)
            {
                q = WithLabel(db, q, labelId);
            }
        }
        if (!string.IsNullOrWhiteSpace(query.Assignee))
        {
            var a = query.Assignee.Trim();
            if (string.Equals(a, "none", StringComparison.OrdinalIgnoreCase))
            {
                q = q.Where(i => !i.Assignees.Any());
            }
            else
            {
                var userId = string.Equals(a, "me", StringComparison.OrdinalIgnoreCase) ? actor.UserId
                    : Guid.TryParse(a, out var g) ? g : Guid.Empty;
                q = q.Where(i => i.Assignees.Any(x => x.UserId == userId));
            }
        }
        if (query.CustomerId is { } customerId) q = q.Where(i => i.CustomerId == customerId);
        if (query.EngagementId is { } engagementId) q = q.Where(i => i.EngagementId == engagementId);
        if (query.DueBefore is { } due) q = q.Where(i => i.DueDate != null && i.DueDate < due);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            q = IssueSearch.Match(db, q, query.Search, includeInternal: actor.IsStaff);
        }
        return q;
    }

    /// Issues carrying the label, written as "Id IN (issues of the label)" so both databases drive the query from the
    /// (LabelId, IssueId) index instead of testing every issue.
    internal static IQueryable<Issue> WithLabel(ProServDbContext db, IQueryable<Issue> q, Guid labelId) =>
        q.Where(i => db.IssueLabels.Where(l => l.LabelId == labelId).Select(l => l.IssueId).Contains(i.Id));

    internal static IQueryable<Issue> WithoutLabels(ProServDbContext db, IQueryable<Issue> q, List<Guid> labelIds) =>
        labelIds.Count == 0 ? q : q.Where(i => !db.IssueLabels.Any(l => l.IssueId == i.Id && labelIds.Contains(l.LabelId)));
}

using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Board;

/// Keeps the board in step with engagements: a stage change sets the stage:: label of the engagement's board issues, in the
/// same SaveChanges as the transition.
public sealed class BoardStageSync(ProServDbContext db, LabelService labels, TimeProvider clock) : IEngagementStageObserver
{
    public async Task StageChangingAsync(Engagement engagement, string from, string to, Actor actor, CancellationToken ct)
    {
        var linked = await db.Issues.Where(i => i.EngagementId == engagement.Id).ToListAsync(ct);
        var ids = linked.Select(i => i.Id).ToList();
        await db.IssueLabels.Where(l => ids.Contains(l.IssueId)).Include(l => l.Label).LoadAsync(ct);
        if (linked.Count == 0)
        {
            return;
        }
        var errors = new ValidationErrors();
        var stage = (await labels.ResolveAsync([$"stage::{to}"], create: true, errors, "stage", ct)).Single();
        var now = clock.GetUtcNow();
        foreach (var issue in linked)
        {
            var current = issue.Labels.Where(l => l.Label is not null).Select(l => l.Label!).ToList();
            LabelRules.AddExclusive(current, stage);
            if (IssueService.SetLabels(issue, current).Count == 0 && issue.Labels.Count == current.Count)
            {
                continue;
            }
            issue.UpdatedAt = now;
            issue.Version++;
            db.IssueActivities.Add(new IssueActivity
            {
                IssueId = issue.Id,
                At = now,
                ActorId = actor.UserId,
                ActorName = actor.Name,
                Action = "issue.stage-synced",
                Text = $"set stage::{to}: the engagement moved from {from} to {to}",
            });
        }
    }
}

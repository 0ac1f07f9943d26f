using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Board;

/// An issue linked to an engagement follows the engagement's stage: it always carries one stage:: label, and changing
/// that label (by editing the issue or by moving its card on a board) asks the engagement to move. The one place that
/// knows it, for the issue service and the board alike.
public sealed class EngagementStageLink(ProServDbContext db, EngagementService engagements)
{
    public const string Rule = "board-engagement-stage";

    /// The stage a label set names (the value of its stage:: label), or null.
    public static string? StageOf(IEnumerable<Label> set) =>
        set.FirstOrDefault(l => l.Scope == "stage")?.Key["stage::".Length..];

    /// Asks the linked engagement to move to <paramref name="stage"/>; a refusal by its rules propagates and nothing is saved.
    public async Task AskEngagementAsync(Actor actor, Issue issue, string stage, string reason, CancellationToken ct)
    {
        var current = await db.Engagements.Where(e => e.Id == issue.EngagementId).Select(e => e.Stage).FirstOrDefaultAsync(ct);
        if (current is not null && current != stage)
        {
            await engagements.TransitionAsync(actor, issue.EngagementId!.Value, stage, reason, ct);
        }
    }

    /// The stage the engagement must be asked for when an issue's labels go from a set naming
    /// <paramref name="stageBefore"/> to <paramref name="after"/>, or null when nothing changes for the engagement.
    /// Taking the stage away altogether is refused.
    public static string? StageChange(Issue issue, string? stageBefore, IEnumerable<Label> after)
    {
        var stageAfter = StageOf(after);
        if (issue.EngagementId is null || stageAfter == stageBefore)
        {
            return null;
        }
        return stageAfter ?? throw new RuleViolationException(Rule,
            $"Issue #{issue.Id} follows its engagement's stage, so it keeps a stage:: label (and a stage column on a board); choose another stage instead of removing it.");
    }
}

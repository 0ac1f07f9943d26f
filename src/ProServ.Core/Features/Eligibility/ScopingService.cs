using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.Eligibility;

public sealed record ScopingTaskDto(Guid Id, Guid EngagementId, string Kind, string Title, bool Done,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, string? CompletedByName, string? Notes, int Version);

/// The scoping steps the eligibility rules require, and their sign-off.
public sealed class ScopingService(ProServDbContext db, AuditWriter audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<ScopingTaskDto>> ListAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        await VisibleEngagementAsync(actor, engagementId, ct);
        var tasks = await db.ScopingTasks.AsNoTracking().Where(t => t.EngagementId == engagementId).ToListAsync(ct);
        return tasks.OrderBy(t => t.CreatedAt).ThenBy(t => t.Kind, StringComparer.Ordinal).Select(t => ToDto(actor, t)).ToList();
    }

    /// Signs a scoping task off. Training-only scoping is signed off by a PS manager, in the scoping stage.
    public async Task<ScopingTaskDto> CompleteAsync(Actor actor, Guid engagementId, Guid taskId, string? notes, CancellationToken ct)
    {
        var engagement = await VisibleEngagementAsync(actor, engagementId, ct);
        if (!actor.IsStaff)
        {
            throw new NotFoundException("Scoping task");
        }
        var task = await db.ScopingTasks.FirstOrDefaultAsync(t => t.Id == taskId && t.EngagementId == engagementId, ct)
            ?? throw new NotFoundException("Scoping task");
        if (task.IsDone)
        {
            throw new ConflictException("Already signed off", $"This scoping task was signed off by {task.CompletedByName} already.");
        }
        var errors = new ValidationErrors();
        errors.Require(notes is null || notes.Length <= 4000, "notes", "The notes are longer than 4000 characters.");
        errors.ThrowIfAny();
        if (task.Kind == ScopingKind.TrainingOnly)
        {
            if (!actor.IsIn(Role.PsManager))
            {
                throw new ForbiddenException("Only a PS manager signs off the scoping of training-only engagements.");
            }
            if (engagement.Stage != EngagementStage.Scoping)
            {
                throw new RuleViolationException(SowRules.TrainingOnlyRequiresUseCase,
                    $"Training only is signed off in the scoping stage, and this engagement is {engagement.Stage}; move it to scoping first.");
            }
        }
        task.CompletedAt = clock.GetUtcNow();
        task.CompletedById = actor.UserId;
        task.CompletedByName = actor.Name;
        task.Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        task.Version++;
        audit.Record(actor, "engagement", engagementId, "scoping.signed-off", task.Notes, new { task.Id, task.Kind }, engagement.CustomerId);
        audit.Publish("scoping.signed-off", new { engagementId, task.Id, task.Kind });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Changed at the same time", "Someone signed this task off at the same moment; reload it.");
        }
        return ToDto(actor, task);
    }

    private async Task<Engagement> VisibleEngagementAsync(Actor actor, Guid id, CancellationToken ct)
    {
        return await db.Engagements.AsNoTracking().VisibleTo(actor).FirstOrDefaultAsync(x => x.Id == id, ct)
            ?? throw new NotFoundException("Engagement");
    }

    /// The sign-off notes are the team's findings about the customer's set-up; a customer contact sees that the step is done.
    internal static ScopingTaskDto ToDto(Actor actor, ScopingTask t) =>
        new(t.Id, t.EngagementId, t.Kind, t.Title, t.IsDone, t.CreatedAt, t.CompletedAt, t.CompletedByName, actor.IsStaff ? t.Notes : null, t.Version);
}

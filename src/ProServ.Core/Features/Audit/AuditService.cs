using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;

namespace ProServ.Core.Features.Audit;

public sealed record AuditEventDto(long Id, DateTimeOffset At, Guid? ActorId, string ActorName, string EntityType,
    string EntityId, string Action, string? Reason, string? Data);

public sealed record AuditQuery(string? EntityType = null, string? EntityId = null, Guid? ActorId = null,
    string? Action = null, Guid? CustomerId = null);

public sealed class AuditService(ProServDbContext db)
{
    public Task<Paged<AuditEventDto>> ListAsync(Actor actor, AuditQuery query, PageRequest page, CancellationToken ct)
    {
        var q = db.AuditEvents.AsNoTracking().VisibleTo(actor);
        if (!string.IsNullOrWhiteSpace(query.EntityType)) q = q.Where(a => a.EntityType == query.EntityType);
        if (!string.IsNullOrWhiteSpace(query.EntityId)) q = q.Where(a => a.EntityId == query.EntityId);
        if (!string.IsNullOrWhiteSpace(query.Action)) q = q.Where(a => a.Action == query.Action);
        if (query.ActorId is { } actorId) q = q.Where(a => a.ActorId == actorId);
        if (query.CustomerId is { } customerId) q = q.Where(a => a.CustomerId == customerId);
        return q.OrderByDescending(a => a.Id)
            .Select(a => new AuditEventDto(a.Id, a.At, a.ActorId, a.ActorName, a.EntityType, a.EntityId, a.Action, a.Reason, a.Data))
            .ToPagedAsync(page, ct);
    }
}

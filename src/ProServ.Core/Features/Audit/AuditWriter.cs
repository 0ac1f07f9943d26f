using System.Text.Json;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Outbox;

namespace ProServ.Core.Features.Audit;

/// Adds audit events (and outbox messages) to the current unit of work; they commit with the change they describe.
public sealed class AuditWriter(ProServDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Record(Actor actor, string entityType, object entityId, string action,
        string? reason = null, object? data = null, Guid? customerId = null)
    {
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(),
            ActorId = actor.UserId,
            ActorName = actor.Name,
            EntityType = entityType,
            EntityId = Convert.ToString(entityId, System.Globalization.CultureInfo.InvariantCulture) ?? "",
            Action = action,
            Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
            Data = data is null ? null : JsonSerializer.Serialize(data, Json),
            CustomerId = customerId,
        });
    }

    /// Queues an event for other systems in the same transaction as the change.
    public void Publish(string type, object payload)
    {
        db.OutboxMessages.Add(new OutboxMessage
        {
            Type = type,
            Payload = JsonSerializer.Serialize(payload, Json),
            CreatedAt = clock.GetUtcNow(),
        });
    }
}

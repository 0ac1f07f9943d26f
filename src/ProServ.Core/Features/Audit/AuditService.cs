using System.Text.Json;
using System.Text.Json.Nodes;
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
    /// What a customer contact may see of its own customer's history: the events that reached it (its customer and contacts, an issued quote, a SOW
    /// version, its agreement and P.O., confirmed bookings), each with the fields of its payload that the contact sees
    /// elsewhere anyway. An allow-list, so a new kind of event stays internal until someone decides otherwise. Drafts,
    /// approvals, internal comments and scoping stay with the team; reasons are never shown (they carry the director's
    /// comment, the version's note, the team's stage-change reasons).
    internal static readonly IReadOnlyDictionary<string, string[]> ForContacts = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["customer.created"] = ["name"],
        ["customer.contact-added"] = ["name", "email"],
        ["customer.contact-removed"] = ["name", "email"],
        ["engagement.created"] = ["title", "stage"],
        ["engagement.stage-changed"] = ["from", "to"],
        ["sow-request.created"] = [],
        ["quote.issued"] = ["quoteId", "number", "total", "currency"],
        ["sow.version-generated"] = ["number"],
        ["sow.markup-uploaded"] = ["number", "changes"],
        ["sow.change-accepted"] = ["changeId", "version"],
        ["sow.change-rejected"] = ["changeId", "version"],
        ["agreement.recorded"] = ["signedOn", "signer"],
        ["agreement.updated"] = ["signedOn", "signer"],
        ["purchase-order.recorded"] = ["number", "amount", "currency", "receivedOn"],
        ["purchase-order.updated"] = ["number", "amount", "currency", "receivedOn"],
        ["booking.confirmed"] = ["bookingId", "start", "end"],
    };

    public async Task<Paged<AuditEventDto>> ListAsync(Actor actor, AuditQuery query, PageRequest page, CancellationToken ct)
    {
        var q = db.AuditEvents.AsNoTracking().VisibleTo(actor);
        if (!actor.IsStaff)
        {
            var actions = ForContacts.Keys.ToArray();
            q = q.Where(a => actions.Contains(a.Action));
        }
        if (!string.IsNullOrWhiteSpace(query.EntityType)) q = q.Where(a => a.EntityType == query.EntityType);
        if (!string.IsNullOrWhiteSpace(query.EntityId)) q = q.Where(a => a.EntityId == query.EntityId);
        if (!string.IsNullOrWhiteSpace(query.Action)) q = q.Where(a => a.Action == query.Action);
        if (query.ActorId is { } actorId) q = q.Where(a => a.ActorId == actorId);
        if (query.CustomerId is { } customerId) q = q.Where(a => a.CustomerId == customerId);
        var events = await q.OrderByDescending(a => a.Id)
            .Select(a => new AuditEventDto(a.Id, a.At, a.ActorId, a.ActorName, a.EntityType, a.EntityId, a.Action, a.Reason, a.Data))
            .ToPagedAsync(page, ct);
        return actor.IsStaff ? events : events with { Items = events.Items.Select(ForContact).ToList() };
    }

    private static AuditEventDto ForContact(AuditEventDto e) =>
        e with { Reason = null, Data = Reduce(e.Data, ForContacts.GetValueOrDefault(e.Action) ?? []) };

    private static string? Reduce(string? data, string[] fields)
    {
        if (data is null || fields.Length == 0 || JsonNode.Parse(data) is not JsonObject all)
        {
            return null;
        }
        var kept = new JsonObject();
        foreach (var field in fields)
        {
            if (all.TryGetPropertyValue(field, out var value))
            {
                kept[field] = value?.DeepClone();
            }
        }
        return kept.ToJsonString(JsonSerializerOptions.Web);
    }
}

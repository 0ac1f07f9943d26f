using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Engagements;

public sealed record EngagementOfferingDto(Guid Id, string Slug, string Name, string Category);

public sealed record EngagementDto(
    Guid Id, Guid CustomerId, string CustomerName, string Title, Guid? OwnerId, string? OwnerName, string Stage,
    IReadOnlyList<EngagementOfferingDto> Offerings, IReadOnlyList<string> NextStages,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

public sealed record EngagementInput(Guid? CustomerId, IReadOnlyList<Guid>? OfferingIds, string? Title, Guid? OwnerId = null);

public sealed record EngagementQuery(Guid? CustomerId = null, string? Stage = null, string? Search = null);

/// A rule that may refuse opening an engagement for these offerings (the eligibility rules), so that an engagement
/// opened directly obeys the same rules as one opened through a SOW request.
public interface IEngagementCreationGuard
{
    Task CheckNewAsync(Guid customerId, IReadOnlyList<Guid> offeringIds, Actor actor, CancellationToken ct);
}

/// A rule that may refuse a stage change (the SOW pipeline adds its own). Throw RuleViolationException to refuse.
public interface IEngagementTransitionGuard
{
    Task CheckAsync(Engagement engagement, string to, Actor actor, CancellationToken ct);
}

/// Told of every stage change inside the transition's unit of work, so that what it changes (e.g. the board issue's
/// stage:: label) commits in the same SaveChanges as the transition.
public interface IEngagementStageObserver
{
    Task StageChangingAsync(Engagement engagement, string from, string to, Actor actor, CancellationToken ct);
}

public sealed class EngagementService(
    ProServDbContext db, AuditWriter audit, TimeProvider clock, IEnumerable<IEngagementTransitionGuard> guards,
    IEnumerable<IEngagementStageObserver>? observers = null, IEnumerable<IEngagementCreationGuard>? creationGuards = null)
{
    public const string TransitionRule = "engagement-stage-transition";

    public async Task<Paged<EngagementDto>> ListAsync(Actor actor, EngagementQuery query, PageRequest page, CancellationToken ct)
    {
        var q = Visible(actor);
        if (query.CustomerId is { } customerId) q = q.Where(e => e.CustomerId == customerId);
        if (!string.IsNullOrWhiteSpace(query.Stage)) q = q.Where(e => e.Stage == query.Stage);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var s = query.Search.Trim().ToLowerInvariant();
            q = q.Where(e => e.Title.ToLower().Contains(s) || e.Customer!.Name.ToLower().Contains(s));
        }
        var p = page.Normalised();
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(e => e.UpdatedAt).ThenBy(e => e.Id).Skip(p.Skip).Take(p.PerPage).ToListAsync(ct);
        return new Paged<EngagementDto>(items.Select(ToDto).ToList(), total, p.Page, p.PerPage);
    }

    public async Task<EngagementDto> GetAsync(Actor actor, Guid id, CancellationToken ct) =>
        ToDto(await Visible(actor).FirstOrDefaultAsync(e => e.Id == id, ct) ?? throw new NotFoundException("Engagement"));

    public async Task<EngagementDto> CreateAsync(Actor actor, EngagementInput input, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var title = input.Title?.Trim() ?? "";
        errors.Require(title.Length is > 0 and <= 300, "title", "Enter a title of at most 300 characters.");
        errors.Require(input.CustomerId is not null, "customerId", "Choose the customer.");
        var offeringIds = (input.OfferingIds ?? []).Distinct().ToList();
        errors.Require(offeringIds.Count > 0, "offeringIds", "Choose at least one offering.");
        if (input.CustomerId is { } cid && !await db.Customers.VisibleTo(actor).AnyAsync(c => c.Id == cid, ct))
        {
            errors.Add("customerId", "No such customer.");
        }
        if (offeringIds.Count > 0)
        {
            var found = await db.Offerings.Where(o => offeringIds.Contains(o.Id) && o.IsActive).Select(o => o.Id).ToListAsync(ct);
            var missing = offeringIds.Except(found).ToList();
            if (missing.Count > 0)
            {
                errors.Add("offeringIds", $"Not an active offering in the catalog: {string.Join(", ", missing)}.");
            }
        }
        var ownerId = input.OwnerId ?? actor.UserId;
        if (input.OwnerId is { } oid && !await db.Users.AnyAsync(u => u.Id == oid && u.IsActive && u.CustomerId == null, ct))
        {
            errors.Add("ownerId", "The owner must be an active member of the team.");
        }
        errors.ThrowIfAny();
        foreach (var guard in creationGuards ?? [])
        {
            await guard.CheckNewAsync(input.CustomerId!.Value, offeringIds, actor, ct);
        }

        var now = clock.GetUtcNow();
        var engagement = new Engagement
        {
            Id = Guid.NewGuid(),
            CustomerId = input.CustomerId!.Value,
            Title = title,
            OwnerId = ownerId,
            Stage = EngagementStage.Requested,
            Offerings = offeringIds.Select(id => new EngagementOffering { OfferingId = id }).ToList(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Engagements.Add(engagement);
        audit.Record(actor, "engagement", engagement.Id, "engagement.created", null,
            new { engagement.Title, engagement.CustomerId, offeringIds, stage = engagement.Stage }, engagement.CustomerId);
        audit.Publish("engagement.created", new { engagement.Id, engagement.CustomerId, engagement.Title, engagement.Stage });
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, engagement.Id, ct);
    }

    /// Moves the engagement to another stage along the allowed transitions; every move is audited with its reason.
    public async Task<EngagementDto> TransitionAsync(Actor actor, Guid id, string? to, string? reason, CancellationToken ct)
    {
        var engagement = await Visible(actor, tracking: true).FirstOrDefaultAsync(e => e.Id == id, ct)
            ?? throw new NotFoundException("Engagement");
        var target = to?.Trim().ToLowerInvariant() ?? "";
        var errors = new ValidationErrors();
        errors.Require(EngagementStage.IsKnown(target), "to", $"The stage is one of: {string.Join(", ", EngagementStage.All)}.");
        errors.Require(reason is null || reason.Length <= 2000, "reason", "The reason is longer than 2000 characters.");
        errors.ThrowIfAny();

        var from = engagement.Stage;
        if (!EngagementStage.CanMove(from, target))
        {
            var next = EngagementStage.NextStages(from);
            throw new ConflictException("Stage transition not allowed",
                next.Count == 0
                    ? $"The engagement is {from}; a {from} engagement does not change stage any more."
                    : $"An engagement cannot move from {from} to {target}; from {from} it can move to: {string.Join(", ", next)}.",
                TransitionRule);
        }
        foreach (var guard in guards)
        {
            await guard.CheckAsync(engagement, target, actor, ct);
        }

        engagement.Stage = target;
        engagement.UpdatedAt = clock.GetUtcNow();
        engagement.Version++;
        audit.Record(actor, "engagement", engagement.Id, "engagement.stage-changed", reason, new { from, to = target }, engagement.CustomerId);
        audit.Publish("engagement.stage-changed", new { engagement.Id, engagement.CustomerId, from, to = target, reason });
        foreach (var observer in observers ?? [])
        {
            await observer.StageChangingAsync(engagement, from, target, actor, ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Changed at the same time",
                "Someone else changed this engagement at the same moment; reload it and try again.", TransitionRule);
        }
        return await GetAsync(actor, id, ct);
    }

    private IQueryable<Engagement> Visible(Actor actor, bool tracking = false)
    {
        IQueryable<Engagement> q = db.Engagements
            .Include(e => e.Customer).Include(e => e.Owner).Include(e => e.Offerings).ThenInclude(o => o.Offering);
        if (!tracking) q = q.AsNoTracking();
        return q.VisibleTo(actor);
    }

    internal static EngagementDto ToDto(Engagement e) => new(
        e.Id, e.CustomerId, e.Customer?.Name ?? "", e.Title, e.OwnerId, e.Owner?.Name, e.Stage,
        e.Offerings.Where(o => o.Offering is not null)
            .Select(o => new EngagementOfferingDto(o.OfferingId, o.Offering!.Slug, o.Offering.Name, o.Offering.Category))
            .OrderBy(o => o.Name, StringComparer.Ordinal).ToList(),
        EngagementStage.NextStages(e.Stage), e.CreatedAt, e.UpdatedAt, e.Version);
}

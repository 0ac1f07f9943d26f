using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.Quotes;

/// Quotes built from catalog packages and custom lines, with the handbook's rules: no hourly or daily rates, ROM
/// ranges (or a written justification), and any discount approved by the Director of Customer Success.
public sealed class QuoteService(ProServDbContext db, AuditWriter audit, TimeProvider clock, EligibilityPolicy eligibility,
    QuoteDrafting drafts)
{
    /// What creating this quote would trigger — every rule that fires, every bad field and the totals — saving nothing.
    public async Task<QuoteCheck> CheckAsync(Actor actor, Guid engagementId, QuoteInput input, CancellationToken ct)
    {
        var d = await drafts.DraftAsync(actor, engagementId, input, ct);
        var rules = (d.TimeRule is null ? d.Rules : [d.TimeRule, .. d.Rules]).ToList();
        return new QuoteCheck(rules.Count == 0 && d.Errors.Count == 0, rules, d.Errors,
            d.Totals?.Subtotal, d.Totals?.DiscountTotal, d.Totals?.Total, d.Totals?.HasDiscount ?? false);
    }

    public async Task<QuoteDto> CreateAsync(Actor actor, Guid engagementId, QuoteInput input, CancellationToken ct)
    {
        var d = await drafts.DraftAsync(actor, engagementId, input, ct);
        // A time-based line is refused before anything else: it is never a matter of fixing a field.
        if (d.TimeRule is { } time) throw new RuleViolationException(time.Rule, time.Detail);
        if (d.Errors.Count > 0) throw new ValidationFailedException(d.Errors);
        EligibilityPolicy.ThrowIfAny(d.Rules);
        var (engagement, built, result, currency) = (d.Engagement, d.Lines, d.Totals!, d.Currency);
        var previous = await db.Quotes.Where(q => q.EngagementId == engagementId).ToListAsync(ct);
        var quote = new Quote
        {
            Id = Guid.NewGuid(),
            EngagementId = engagementId,
            CustomerId = engagement.CustomerId,
            Number = previous.Count == 0 ? 1 : previous.Max(q => q.Number) + 1,
            Currency = currency,
            ValidUntil = input.ValidUntil!.Value,
            DiscountPercent = QuoteDrafting.Positive(input.Discount?.Percent),
            DiscountAmount = QuoteDrafting.Positive(input.Discount?.Amount),
            Subtotal = result.Subtotal,
            DiscountTotal = result.DiscountTotal,
            Total = result.Total,
            Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim(),
            Lines = built,
            CreatedAt = clock.GetUtcNow(),
            CreatedById = actor.UserId,
            CreatedByName = actor.Name,
        };
        quote.Status = result.HasDiscount ? QuoteStatus.AwaitingApproval : QuoteStatus.Draft;
        foreach (var old in previous.Where(q => q.Status is QuoteStatus.Draft or QuoteStatus.AwaitingApproval or QuoteStatus.Approved))
        {
            old.Status = QuoteStatus.Superseded;
            old.RowVersion++;
        }
        db.Quotes.Add(quote);
        audit.Record(actor, "engagement", engagementId, "quote.created", null,
            new { quoteId = quote.Id, quote.Number, quote.Status, quote.Currency, quote.Subtotal, quote.DiscountTotal, quote.Total }, engagement.CustomerId);
        audit.Record(actor, "quote", quote.Id, "quote.created", null,
            new { quote.Number, quote.Status, quote.Currency, quote.Subtotal, quote.DiscountTotal, quote.Total, lines = built.Count }, engagement.CustomerId);
        if (quote.Status == QuoteStatus.AwaitingApproval)
        {
            audit.Publish("quote.awaiting-approval", new { quote.Id, quote.EngagementId, quote.Number, quote.Total, quote.DiscountTotal, quote.Currency });
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException("Changed at the same time",
                "Someone else added a version of this quote at the same moment; reload the engagement and try again.");
        }
        return await GetAsync(actor, quote.Id, ct);
    }

    public async Task<QuoteDto> GetAsync(Actor actor, Guid id, CancellationToken ct) =>
        ToDto(actor, await Visible(actor).FirstOrDefaultAsync(q => q.Id == id, ct) ?? throw new NotFoundException("Quote"));

    public async Task<IReadOnlyList<QuoteDto>> ListForEngagementAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        var list = await Visible(actor).Where(q => q.EngagementId == engagementId).ToListAsync(ct);
        return list.OrderByDescending(q => q.Number).Select(q => ToDto(actor, q)).ToList();
    }

    /// The director's inbox and other lists.
    public async Task<Paged<QuoteDto>> ListAsync(Actor actor, QuoteQuery query, PageRequest page, CancellationToken ct)
    {
        var q = Visible(actor);
        if (!string.IsNullOrWhiteSpace(query.Status)) q = q.Where(x => x.Status == query.Status);
        if (query.EngagementId is { } eid) q = q.Where(x => x.EngagementId == eid);
        var p = page.Normalised();
        var total = await q.CountAsync(ct);
        var items = await q.OrderBy(x => x.CreatedAt).ThenBy(x => x.Id).Skip(p.Skip).Take(p.PerPage).ToListAsync(ct);
        return new Paged<QuoteDto>(items.Select(q => ToDto(actor, q)).ToList(), total, p.Page, p.PerPage);
    }

    /// The quote the SOW document is built from: the latest issued or approved version, or null.
    public async Task<QuoteDto?> GetCurrentForEngagementAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        var list = await Visible(actor)
            .Where(q => q.EngagementId == engagementId && (q.Status == QuoteStatus.Issued || q.Status == QuoteStatus.Approved))
            .ToListAsync(ct);
        var current = list.OrderByDescending(q => q.Number).FirstOrDefault();
        return current is null ? null : ToDto(actor, current);
    }

    public Task<QuoteDto> ApproveAsync(Actor actor, Guid id, string? comment, int? rowVersion, CancellationToken ct) =>
        DecideAsync(actor, id, approve: true, comment, rowVersion, ct);

    public Task<QuoteDto> RejectAsync(Actor actor, Guid id, string? comment, int? rowVersion, CancellationToken ct) =>
        DecideAsync(actor, id, approve: false, comment, rowVersion, ct);

    /// Sends the quote to the customer. A discount must have been approved first (discount-needs-approval).
    public async Task<QuoteDto> IssueAsync(Actor actor, Guid id, int? rowVersion, CancellationToken ct)
    {
        var quote = await LoadForChangeAsync(actor, id, rowVersion, ct);
        switch (quote.Status)
        {
            case QuoteStatus.AwaitingApproval:
                throw new RuleViolationException(SowRules.DiscountNeedsApproval,
                    "This quote carries a discount, and any discount must be approved by the Director of Customer Success before the quote is issued.");
            case QuoteStatus.Rejected:
                throw new RuleViolationException(SowRules.DiscountNeedsApproval,
                    $"The Director of Customer Success rejected this quote's discount ({quote.DecisionComment}); create a new version of the quote.");
            case QuoteStatus.Issued:
                throw new ConflictException("Already issued", $"Version {quote.Number} of this quote was issued already.");
            case QuoteStatus.Superseded:
                throw new ConflictException("Superseded", $"Version {quote.Number} was replaced by a later version; issue that one.");
        }
        if (quote.ValidUntil < DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
        {
            throw new ValidationFailedException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["validUntil"] = ["The quote's validity date has passed; create a new version with a later date."],
            });
        }
        EligibilityPolicy.ThrowIfAny(await eligibility.EvaluateEngagementAsync(quote.EngagementId, EligibilityPoint.Issue,
            quote.Lines.Where(l => l.OfferingId is not null).Select(l => l.OfferingId!.Value), ct));
        quote.Status = QuoteStatus.Issued;
        quote.IssuedAt = clock.GetUtcNow();
        quote.IssuedByName = actor.Name;
        quote.RowVersion++;
        audit.Record(actor, "quote", quote.Id, "quote.issued", null, new { quote.Number, quote.Total, quote.Currency }, quote.CustomerId);
        audit.Record(actor, "engagement", quote.EngagementId, "quote.issued", null, new { quoteId = quote.Id, quote.Number, quote.Total, quote.Currency }, quote.CustomerId);
        audit.Publish("quote.issued", new { quote.Id, quote.EngagementId, quote.Number, quote.Total, quote.Currency });
        await SaveAsync(ct);
        return await GetAsync(actor, id, ct);
    }

    private async Task<QuoteDto> DecideAsync(Actor actor, Guid id, bool approve, string? comment, int? rowVersion, CancellationToken ct)
    {
        var quote = await LoadForChangeAsync(actor, id, rowVersion, ct);
        if (!actor.IsIn(Role.DirectorCustomerSuccess))
        {
            throw new ForbiddenException("Only the Director of Customer Success approves or rejects discounts.");
        }
        var errors = new ValidationErrors();
        var text = comment?.Trim();
        if (!approve) errors.Require(!string.IsNullOrEmpty(text), "comment", "Say why the discount is rejected.");
        errors.Require(text is null || text.Length <= 4000, "comment", "The comment is longer than 4000 characters.");
        errors.ThrowIfAny();
        if (quote.Status != QuoteStatus.AwaitingApproval)
        {
            throw new ConflictException("Not awaiting approval",
                $"Version {quote.Number} of this quote is {quote.Status}; only a quote awaiting approval can be approved or rejected.");
        }
        quote.Status = approve ? QuoteStatus.Approved : QuoteStatus.Rejected;
        quote.DecidedAt = clock.GetUtcNow();
        quote.DecidedById = actor.UserId;
        quote.DecidedByName = actor.Name;
        quote.DecisionComment = string.IsNullOrEmpty(text) ? null : text;
        quote.RowVersion++;
        var action = approve ? "quote.approved" : "quote.rejected";
        audit.Record(actor, "quote", quote.Id, action, quote.DecisionComment, new { quote.Number, quote.DiscountTotal, quote.Total }, quote.CustomerId);
        audit.Record(actor, "engagement", quote.EngagementId, action, quote.DecisionComment, new { quoteId = quote.Id, quote.Number }, quote.CustomerId);
        audit.Publish(action, new { quote.Id, quote.EngagementId, quote.Number, comment = quote.DecisionComment });
        await SaveAsync(ct);
        return await GetAsync(actor, id, ct);
    }

    private async Task<Quote> LoadForChangeAsync(Actor actor, Guid id, int? rowVersion, CancellationToken ct)
    {
        var quote = await db.Quotes.Include(q => q.Lines).FirstOrDefaultAsync(q => q.Id == id, ct);
        if (quote is null || !actor.IsStaff)
        {
            throw new NotFoundException("Quote");
        }
        if (rowVersion is { } v && v != quote.RowVersion)
        {
            throw new ConflictException("Changed by someone else",
                "This quote was changed by someone else since you opened it; reload it and try again.");
        }
        return quote;
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Changed at the same time", "Someone else changed this quote at the same moment; reload it and try again.");
        }
    }

    private IQueryable<Quote> Visible(Actor actor)
    {
        IQueryable<Quote> q = db.Quotes.AsNoTracking().Include(x => x.Lines)
            .Include(x => x.Engagement).ThenInclude(e => e!.Customer);
        q = q.VisibleTo(actor);
        // Customers see what was sent to them, nothing in preparation.
        return actor.IsStaff ? q : q.Where(x => x.Status == QuoteStatus.Issued);
    }

    public static void EnsureNotTimeBased(string? unit) => PricingUnit.EnsureNotTimeBased(unit);

    /// The quote as the actor may see it. A customer sees what was sent to it: the lines, prices and totals, not how the
    /// team got there (the ROM ranges and why a price is outside them, the internal notes, the director's decision on the
    /// discount and its comment).
    internal static QuoteDto ToDto(Actor actor, Quote q)
    {
        var dto = ToDto(q);
        return actor.IsStaff ? dto : dto with
        {
            Notes = null,
            Decision = null,
            Lines = dto.Lines.Select(l => l with { RomLow = null, RomHigh = null, OutsideRom = false, Justification = null }).ToList(),
        };
    }

    private static QuoteDto ToDto(Quote q) => new(
        q.Id, q.EngagementId, q.Engagement?.Title ?? "", q.CustomerId, q.Engagement?.Customer?.Name ?? "", q.Number, q.Status,
        q.Currency.Trim(), q.ValidUntil,
        q.Lines.OrderBy(l => l.Position).Select(l => new QuoteLineDto(l.Id, l.Position, l.PackageId, l.OfferingId, l.Description, l.Unit,
            l.Quantity, l.UnitPrice, l.RomLow, l.RomHigh, l.OutsideRom, l.Justification,
            l.DiscountPercent is null && l.DiscountAmount is null ? null : new DiscountDto(l.DiscountPercent, l.DiscountAmount),
            l.Subtotal, l.Discount, l.Total)).ToList(),
        q.Subtotal, q.DiscountPercent is null && q.DiscountAmount is null ? null : new DiscountDto(q.DiscountPercent, q.DiscountAmount),
        q.DiscountTotal, q.Total, q.DiscountTotal > 0,
        q.DecidedAt is null ? null : new QuoteDecisionDto(q.Status == QuoteStatus.Rejected ? "rejected" : "approved", q.DecidedByName, q.DecidedAt, q.DecisionComment),
        q.IssuedAt, q.IssuedByName, q.Notes, q.CreatedAt, q.CreatedByName, q.RowVersion);
}

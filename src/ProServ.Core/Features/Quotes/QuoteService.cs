using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.Quotes;

public sealed record DiscountInput(decimal? Percent, decimal? Amount);

public sealed record QuoteLineInput(
    Guid? PackageId, string? Description, string? Unit, decimal? Quantity, decimal? UnitPrice, string? Justification,
    DiscountInput? Discount = null);

public sealed record QuoteInput(string? Currency, DateOnly? ValidUntil, IReadOnlyList<QuoteLineInput>? Lines, DiscountInput? Discount, string? Notes = null);

public sealed record DiscountDto(decimal? Percent, decimal? Amount);

public sealed record QuoteLineDto(
    Guid Id, int Position, Guid? PackageId, Guid? OfferingId, string Description, string Unit, decimal Quantity, decimal UnitPrice,
    decimal? RomLow, decimal? RomHigh, bool OutsideRom, string? Justification, DiscountDto? Discount,
    decimal Subtotal, decimal DiscountTotal, decimal Total);

public sealed record QuoteDecisionDto(string Decision, string? By, DateTimeOffset? At, string? Comment);

public sealed record QuoteDto(
    Guid Id, Guid EngagementId, string EngagementTitle, Guid CustomerId, string CustomerName, int Number, string Status,
    string Currency, DateOnly ValidUntil, IReadOnlyList<QuoteLineDto> Lines, decimal Subtotal, DiscountDto? Discount,
    decimal DiscountTotal, decimal Total, bool RequiresApproval, QuoteDecisionDto? Decision, DateTimeOffset? IssuedAt,
    string? IssuedByName, string? Notes, DateTimeOffset CreatedAt, string CreatedByName, int RowVersion);

public sealed record QuoteCheck(bool Accepted, IReadOnlyList<RuleFinding> Rules, IReadOnlyDictionary<string, string[]> Errors,
    decimal? Subtotal, decimal? DiscountTotal, decimal? Total, bool RequiresApproval);

public sealed record QuoteQuery(string? Status = null, Guid? EngagementId = null);

/// Quotes built from catalog packages and custom lines, with the handbook's rules: no hourly or daily rates, ROM
/// ranges (or a written justification), and any discount approved by the Director of Customer Success.
public sealed class QuoteService(ProServDbContext db, AuditWriter audit, TimeProvider clock, EligibilityPolicy eligibility)
{
    /// What creating this quote would trigger — every rule that fires, every bad field and the totals — saving nothing.
    public async Task<QuoteCheck> CheckAsync(Actor actor, Guid engagementId, QuoteInput input, CancellationToken ct)
    {
        var d = await DraftAsync(actor, engagementId, input, ct);
        var rules = (d.TimeRule is null ? d.Rules : [d.TimeRule, .. d.Rules]).ToList();
        return new QuoteCheck(rules.Count == 0 && d.Errors.Count == 0, rules, d.Errors,
            d.Totals?.Subtotal, d.Totals?.DiscountTotal, d.Totals?.Total, d.Totals?.HasDiscount ?? false);
    }

    public async Task<QuoteDto> CreateAsync(Actor actor, Guid engagementId, QuoteInput input, CancellationToken ct)
    {
        var d = await DraftAsync(actor, engagementId, input, ct);
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
            DiscountPercent = Positive(input.Discount?.Percent),
            DiscountAmount = Positive(input.Discount?.Amount),
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

    private sealed record QuoteDraft(Engagement Engagement, List<QuoteLine> Lines, QuoteTotals? Totals, string Currency,
        RuleFinding? TimeRule, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<RuleFinding> Rules);

    private async Task<QuoteDraft> DraftAsync(Actor actor, Guid engagementId, QuoteInput input, CancellationToken ct)
    {
        var engagement = await db.Engagements.AsNoTracking().Include(e => e.Customer)
            .FirstOrDefaultAsync(e => e.Id == engagementId, ct);
        if (engagement is null || !actor.IsStaff)
        {
            throw new NotFoundException("Engagement");
        }
        if (!EngagementStage.IsOpen(engagement.Stage))
        {
            throw new ConflictException("Engagement is over", $"The engagement is {engagement.Stage}; it gets no new quotes.");
        }
        var lines = input.Lines ?? [];
        RuleFinding? timeRule = null;
        try
        {
            foreach (var line in lines) EnsureNotTimeBased(line.Unit);
        }
        catch (RuleViolationException r)
        {
            timeRule = new RuleFinding(r.Rule, r.Message);
        }
        var packageIds = lines.Where(l => l.PackageId is not null).Select(l => l.PackageId!.Value).Distinct().ToList();
        var packages = await db.CatalogPackages.AsNoTracking().Where(p => packageIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);

        var errors = new ValidationErrors();
        var currency = input.Currency?.Trim().ToUpperInvariant() ?? "";
        var catalogCurrencies = (await db.CatalogPackages.AsNoTracking().Where(p => p.IsActive).Select(p => p.Currency).Distinct().ToListAsync(ct))
            .Select(c => c.Trim().ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        if (currency.Length == 0)
        {
            errors.Add("currency", "Choose the currency of the quote.");
        }
        else if (!catalogCurrencies.Contains(currency))
        {
            errors.Add("currency", $"The catalog does not price in {currency}; quote in {string.Join(" or ", catalogCurrencies)}.");
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (input.ValidUntil is not { } validUntil)
        {
            errors.Add("validUntil", "Enter the date until which the quote is valid.");
        }
        else if (validUntil < today)
        {
            errors.Add("validUntil", "The validity date is in the past.");
        }
        errors.Require(lines.Count is > 0 and <= 100, "lines", "A quote has between 1 and 100 lines.");
        errors.Require(input.Notes is null || input.Notes.Length <= 4000, "notes", "The notes are longer than 4000 characters.");

        var built = new List<QuoteLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var at = $"lines[{i}]";
            CatalogPackage? package = null;
            if (l.PackageId is { } pid)
            {
                if (!packages.TryGetValue(pid, out package) || !package.IsActive)
                {
                    errors.Add($"{at}.packageId", "No such active package in the catalog.");
                    package = null;
                }
            }
            var description = l.Description?.Trim();
            if (package is null && l.PackageId is null)
            {
                errors.Require(!string.IsNullOrEmpty(description) && description.Length <= 500, $"{at}.description",
                    "A custom line needs a description of at most 500 characters.");
            }
            errors.Require(description is null || description.Length <= 500, $"{at}.description", "The description is longer than 500 characters.");
            var unit = l.Unit?.Trim().ToLowerInvariant();
            if (package is not null)
            {
                // The package decides how it is priced; a unit sent with it is only checked against no-hourly-rates.
                unit = package.Unit;
                if (currency.Length > 0 && !string.Equals(package.Currency.Trim(), currency, StringComparison.OrdinalIgnoreCase))
                    errors.Add($"{at}.packageId", $"The package '{package.Name}' is priced in {package.Currency}, the quote in {currency}.");
            }
            else if (l.PackageId is null)
            {
                errors.Require(unit is not null && PricingUnit.IsKnown(unit), $"{at}.unit",
                    $"The pricing unit is one of: {string.Join(", ", PricingUnit.All)}.");
            }
            if (l.Quantity is not { } qty || qty <= 0 || qty > 1_000_000 || decimal.Round(qty, 2) != qty)
                errors.Add($"{at}.quantity", "The quantity is a positive number with at most two decimals.");
            if (l.UnitPrice is not { } price || price < 0 || price > 1_000_000_000 || decimal.Round(price, 2) != price)
                errors.Add($"{at}.unitPrice", "The unit price is zero or more, with at most two decimals.");
            var outside = package is not null && l.UnitPrice is { } up && (up < package.RomLow || up > package.RomHigh);
            var justification = string.IsNullOrWhiteSpace(l.Justification) ? null : l.Justification.Trim();
            if (outside && justification is null)
            {
                errors.Add($"{at}.justification",
                    $"{l.UnitPrice:0.##} is outside the ROM range {package!.RomLow:0.##}–{package.RomHigh:0.##} {package.Currency} of '{package.Name}'; write why.");
            }
            errors.Require(justification is null || justification.Length <= 4000, $"{at}.justification", "The justification is longer than 4000 characters.");
            ValidateDiscount(errors, $"{at}.discount", l.Discount);
            built.Add(new QuoteLine
            {
                Id = Guid.NewGuid(),
                Position = i + 1,
                PackageId = package?.Id,
                OfferingId = package?.OfferingId,
                Description = description is { Length: > 0 } ? description : package?.Name ?? "",
                Unit = unit ?? "",
                Quantity = l.Quantity ?? 0,
                UnitPrice = l.UnitPrice ?? 0,
                RomLow = package?.RomLow,
                RomHigh = package?.RomHigh,
                OutsideRom = outside,
                Justification = justification,
                DiscountPercent = Positive(l.Discount?.Percent),
                DiscountAmount = Positive(l.Discount?.Amount),
            });
        }
        ValidateDiscount(errors, "discount", input.Discount);
        if (!errors.Any)
        {
            // Amount discounts cannot exceed what they discount.
            var totals = QuoteMath.Compute(built, Positive(input.Discount?.Percent), Positive(input.Discount?.Amount));
            for (var i = 0; i < built.Count; i++)
            {
                if (built[i].DiscountAmount is { } a && a > built[i].Quantity * built[i].UnitPrice)
                    errors.Add($"lines[{i}].discount", "The discount is larger than the line.");
            }
            if (totals.Total < 0)
                errors.Add("discount", "The discount is larger than the quote.");
        }
        var rules = await eligibility.EvaluateEngagementAsync(engagementId, EligibilityPoint.Quote,
            built.Where(l => l.OfferingId is not null).Select(l => l.OfferingId!.Value), ct);
        var result = errors.Any ? null : QuoteMath.Compute(built, Positive(input.Discount?.Percent), Positive(input.Discount?.Amount));
        return new QuoteDraft(engagement, built, result, currency, timeRule, errors.ToDictionary(), rules);
    }

    public async Task<QuoteDto> GetAsync(Actor actor, Guid id, CancellationToken ct) =>
        ToDto(await Visible(actor).FirstOrDefaultAsync(q => q.Id == id, ct) ?? throw new NotFoundException("Quote"));

    public async Task<IReadOnlyList<QuoteDto>> ListForEngagementAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        var list = await Visible(actor).Where(q => q.EngagementId == engagementId).ToListAsync(ct);
        return list.OrderByDescending(q => q.Number).Select(ToDto).ToList();
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
        return new Paged<QuoteDto>(items.Select(ToDto).ToList(), total, p.Page, p.PerPage);
    }

    /// The quote the SOW document is built from: the latest issued or approved version, or null.
    public async Task<QuoteDto?> GetCurrentForEngagementAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        var list = await Visible(actor)
            .Where(q => q.EngagementId == engagementId && (q.Status == QuoteStatus.Issued || q.Status == QuoteStatus.Approved))
            .ToListAsync(ct);
        var current = list.OrderByDescending(q => q.Number).FirstOrDefault();
        return current is null ? null : ToDto(current);
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

    private static void ValidateDiscount(ValidationErrors errors, string field, DiscountInput? d)
    {
        if (d is null) return;
        if (d.Percent is { } p && d.Amount is { } a && p != 0 && a != 0)
            errors.Add(field, "Give the discount as a percent or as an amount, not both.");
        if (d.Percent is { } pct && (pct < 0 || pct > 100 || decimal.Round(pct, 2) != pct))
            errors.Add(field, "A percent discount is between 0 and 100, with at most two decimals.");
        if (d.Amount is { } amt && (amt < 0 || decimal.Round(amt, 2) != amt))
            errors.Add(field, "A discount amount is zero or more, with at most two decimals.");
    }

    private static decimal? Positive(decimal? d) => d is > 0 ? d : null;

    internal static QuoteDto ToDto(Quote q) => new(
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

public sealed record QuoteTotals(decimal Subtotal, decimal DiscountTotal, decimal Total, bool HasDiscount);

/// The arithmetic of a quote, in decimal and in memory: line subtotal = quantity × unit price; a line discount comes
/// off its line; a quote discount comes off the sum of the discounted lines; amounts round half away from zero to cents.
public static class QuoteMath
{
    public static decimal Round(decimal d) => decimal.Round(d, 2, MidpointRounding.AwayFromZero);

    public static QuoteTotals Compute(IReadOnlyList<QuoteLine> lines, decimal? percent, decimal? amount)
    {
        decimal subtotal = 0, lineDiscounts = 0, net = 0;
        var any = false;
        foreach (var l in lines)
        {
            l.Subtotal = Round(l.Quantity * l.UnitPrice);
            l.Discount = l.DiscountPercent is { } p ? Round(l.Subtotal * p / 100m) : l.DiscountAmount is { } a ? Round(a) : 0m;
            any |= l.DiscountPercent is > 0 || l.DiscountAmount is > 0;
            l.Total = l.Subtotal - l.Discount;
            subtotal += l.Subtotal;
            lineDiscounts += l.Discount;
            net += l.Total;
        }
        var quoteDiscount = percent is { } qp ? Round(net * qp / 100m) : amount is { } qa ? Round(qa) : 0m;
        any |= percent is > 0 || amount is > 0;
        var discount = lineDiscounts + quoteDiscount;
        return new QuoteTotals(subtotal, discount, subtotal - discount, any);
    }
}

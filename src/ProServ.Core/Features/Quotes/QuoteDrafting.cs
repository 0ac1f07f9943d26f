using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.Quotes;

/// Turns a quote's input into its lines and totals and finds everything wrong with it (time-based units, bad fields,
/// ROM ranges without a justification, eligibility rules) without saving: creating a quote and checking one both start here.
public sealed class QuoteDrafting(ProServDbContext db, TimeProvider clock, EligibilityPolicy eligibility)
{
    public sealed record QuoteDraft(Engagement Engagement, List<QuoteLine> Lines, QuoteTotals? Totals, string Currency,
        RuleFinding? TimeRule, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<RuleFinding> Rules);

    public async Task<QuoteDraft> DraftAsync(Actor actor, Guid engagementId, QuoteInput input, CancellationToken ct)
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
            foreach (var line in lines) PricingUnit.EnsureNotTimeBased(line.Unit);
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

    internal static decimal? Positive(decimal? d) => d is > 0 ? d : null;
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProServ.Core.Common;
using ProServ.Core.Data;

namespace ProServ.Core.Features.SowDocuments;

/// Gathers a <see cref="SowContent"/> for an engagement the actor may see.
public sealed class SowContentBuilder(
    ProServDbContext db, ISowQuoteSource quotes, ISowScopeSource scopes, IOptions<SowDocumentOptions> options, TimeProvider clock)
{
    public const string DefaultTerms =
        "This Statement of Work is governed by the services agreement between the customer and us; where they differ, the agreement prevails.\n" +
        "Services are priced by outcome (fixed, per seat, per delivery or per repository), never by the hour or the day.\n" +
        "Fees are invoiced on signature of this Statement of Work and receipt of the customer's purchase order, payable within 30 days.\n" +
        "Dates are confirmed only once the signed agreement and the purchase order have been received.\n" +
        "Changes to scope are agreed in writing as a revision of this Statement of Work.";

    public async Task<SowContent> BuildAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        var q = db.Engagements.AsNoTracking()
            .Include(e => e.Customer!).ThenInclude(c => c.Tier)
            .Include(e => e.Offerings).ThenInclude(o => o.Offering!).ThenInclude(o => o.Packages)
            .Where(e => e.Id == engagementId)
            .VisibleTo(actor);
        var engagement = await q.AsSplitQuery().FirstOrDefaultAsync(ct) ?? throw new NotFoundException("Engagement");

        var offerings = engagement.Offerings.Where(o => o.Offering is not null).Select(o => o.Offering!)
            .OrderBy(o => o.SortOrder).ThenBy(o => o.Name, StringComparer.Ordinal)
            .Select(o => new SowOffering(o.Name, o.Category, o.Summary,
                o.Packages.Where(p => p.IsActive).OrderBy(p => p.SortOrder).ThenBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => new SowPackage(p.Name, p.Unit, p.RomLow, p.RomHigh, p.Currency, p.TypicalDuration, p.DeliverableList))
                    .ToList()))
            .ToList();

        var scope = await scopes.GetScopeAsync(engagement.Id, ct);
        if (string.IsNullOrWhiteSpace(scope))
        {
            scope = $"{engagement.Customer!.Name} engages Professional Services for \"{engagement.Title}\", covering: " +
                    string.Join("; ", offerings.Select(o => o.Name)) + ".";
        }

        var quote = await quotes.GetCurrentQuoteAsync(engagement.Id, ct);
        var pricing = quote is not null ? FromQuote(quote) : FromCatalog(offerings);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return new SowContent(engagement.Id, "SOW-" + engagement.Id.ToString("n")[..8].ToUpperInvariant(),
            engagement.Customer!.Name, engagement.Customer.Tier?.Name ?? engagement.Customer.TierId, engagement.Title,
            scope.Trim(), offerings, pricing, options.Value.Terms, today);
    }

    public static string Money(string currency, decimal amount) =>
        string.Create(CultureInfo.InvariantCulture, $"{currency} {amount:N2}");

    private static SowPricing FromQuote(SowQuote q) => new(true, q.Currency,
        q.Lines.Select(l => new SowPriceLine(l.Description, l.Unit, l.Quantity, l.UnitPrice, l.Amount, null)).ToList(),
        q.Subtotal, q.Discount, q.Total, Money(q.Currency, q.Total), q.ValidUntil, q.Reference);

    /// Without a quote the SOW shows what the catalog says each package costs, as a range.
    private static SowPricing FromCatalog(IReadOnlyList<SowOffering> offerings)
    {
        var packages = offerings.SelectMany(o => o.Packages.Select(p => (Offering: o, Package: p))).ToList();
        var lines = packages.Select(x => new SowPriceLine($"{x.Offering.Name} — {x.Package.Name}", x.Package.Unit, null, null, null,
            string.Create(CultureInfo.InvariantCulture, $"{x.Package.Currency} {x.Package.RomLow:N2} – {x.Package.RomHigh:N2}"))).ToList();
        var currencies = packages.Select(x => x.Package.Currency).Distinct(StringComparer.Ordinal).ToList();
        // Packages are priced per unit (seat, repository, delivery …), so their ranges do not add up to a total.
        const string total = "To be confirmed by the quote; see the range of each package above.";
        return new SowPricing(false, currencies.Count == 1 ? currencies[0] : "", lines, null, null, null, total, null, null);
    }
}

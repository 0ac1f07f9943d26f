using ProServ.Core.Common;
using ProServ.Core.Features.SowDocuments;

namespace ProServ.Core.Features.Quotes;

/// Puts the engagement's current (issued or approved) quote into its SOW document. The SOW service has already
/// checked that the caller may see the engagement, so the quote is read as the system.
internal sealed class QuoteSowSource(QuoteService quotes) : ISowQuoteSource
{
    public async Task<SowQuote?> GetCurrentQuoteAsync(Guid engagementId, CancellationToken ct)
    {
        var quote = await quotes.GetCurrentForEngagementAsync(Actor.System, engagementId, ct);
        if (quote is null)
        {
            return null;
        }
        return new SowQuote(
            quote.Currency,
            quote.Lines.OrderBy(l => l.Position)
                .Select(l => new SowQuoteLine(l.Description, l.Unit, l.Quantity, l.UnitPrice, l.Subtotal)).ToList(),
            quote.Subtotal,
            quote.DiscountTotal,
            quote.Total,
            quote.ValidUntil,
            $"Quote #{quote.Number}");
    }
}

namespace ProServ.Core.Features.SowDocuments;

/// Everything a SOW document shows, gathered from the engagement, the catalog and the current quote.
/// The template merge and the HTML view read only this record.
public sealed record SowContent(
    Guid EngagementId,
    string Reference,
    string CustomerName,
    string Tier,
    string EngagementTitle,
    string Scope,
    IReadOnlyList<SowOffering> Offerings,
    SowPricing Pricing,
    string Terms,
    DateOnly Date);

public sealed record SowOffering(string Name, string Category, string Summary, IReadOnlyList<SowPackage> Packages);

public sealed record SowPackage(string Name, string Unit, decimal RomLow, decimal RomHigh, string Currency,
    string TypicalDuration, IReadOnlyList<string> Deliverables);

/// Either the current quote, or, until there is one, the catalog packages' ROM ranges.
public sealed record SowPricing(bool IsQuote, string Currency, IReadOnlyList<SowPriceLine> Lines,
    decimal? Subtotal, decimal? Discount, decimal? Total, string? TotalText, DateOnly? ValidUntil, string? QuoteReference);

/// A priced line. For a ROM estimate Amount is null and RangeText says "USD 10,000.00 – 25,000.00".
public sealed record SowPriceLine(string Description, string Unit, decimal? Quantity, decimal? UnitPrice, decimal? Amount, string? RangeText);

/// The engagement's current quote as the SOW shows it. Quotes live in another feature; it plugs in through
/// <see cref="ISowQuoteSource"/>.
public sealed record SowQuote(
    string Currency,
    IReadOnlyList<SowQuoteLine> Lines,
    decimal Subtotal,
    decimal Discount,
    decimal Total,
    DateOnly? ValidUntil,
    string? Reference);

public sealed record SowQuoteLine(string Description, string Unit, decimal Quantity, decimal UnitPrice, decimal Amount);

/// Supplies the engagement's current quote to the SOW, or null when there is none yet (the SOW then shows the
/// catalog packages' ROM ranges). The quotes feature registers its own implementation; the default has none.
public interface ISowQuoteSource
{
    Task<SowQuote?> GetCurrentQuoteAsync(Guid engagementId, CancellationToken ct);
}

/// Supplies the business goals and scope written on the SOW request, or null (the SOW then describes the scope
/// from the offerings). The SOW-request feature registers its own implementation.
public interface ISowScopeSource
{
    Task<string?> GetScopeAsync(Guid engagementId, CancellationToken ct);
}

internal sealed class NoSowQuoteSource : ISowQuoteSource
{
    public Task<SowQuote?> GetCurrentQuoteAsync(Guid engagementId, CancellationToken ct) => Task.FromResult<SowQuote?>(null);
}

internal sealed class NoSowScopeSource : ISowScopeSource
{
    public Task<string?> GetScopeAsync(Guid engagementId, CancellationToken ct) => Task.FromResult<string?>(null);
}

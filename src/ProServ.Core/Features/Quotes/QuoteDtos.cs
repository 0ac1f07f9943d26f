using ProServ.Core.Features.Eligibility;

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

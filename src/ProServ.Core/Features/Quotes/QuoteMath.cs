namespace ProServ.Core.Features.Quotes;

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

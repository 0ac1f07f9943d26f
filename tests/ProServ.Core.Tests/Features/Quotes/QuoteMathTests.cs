using ProServ.Core.Common;
using ProServ.Core.Features.Quotes;

namespace ProServ.Core.Tests.Features.Quotes;

public sealed class QuoteMathTests
{
    private static QuoteLine Line(decimal qty, decimal price, decimal? pct = null, decimal? amount = null) =>
        new() { Description = "x", Unit = "fixed", Quantity = qty, UnitPrice = price, DiscountPercent = pct, DiscountAmount = amount };

    [Fact]
    public void Totals_AreLineSubtotalsMinusLineThenQuoteDiscounts_RoundedToCents()
    {
        var lines = new[] { Line(3, 333.33m, pct: 10m), Line(1, 1000m, amount: 100m), Line(2, 0.005m) };
        var t = QuoteMath.Compute(lines, 5m, null);
        Assert.Equal(999.99m, lines[0].Subtotal);
        Assert.Equal(100.00m, lines[0].Discount);
        Assert.Equal(0.01m, lines[2].Subtotal);
        Assert.Equal(2000.00m, t.Subtotal);
        // (899.99 + 900 + 0.01) × 5% = 90.00
        Assert.Equal(290.00m, t.DiscountTotal);
        Assert.Equal(1710.00m, t.Total);
        Assert.True(t.HasDiscount);
    }

    [Fact]
    public void NoDiscount_MeansNoApprovalNeeded()
    {
        var t = QuoteMath.Compute([Line(1, 15000m)], null, null);
        Assert.False(t.HasDiscount);
        Assert.Equal(15000m, t.Total);
    }

    [Theory]
    [InlineData("per-hour")]
    [InlineData("per-day")]
    [InlineData("Per Day")]
    [InlineData("hourly")]
    [InlineData("daily")]
    [InlineData("person-days")]
    [InlineData("per_hour")]
    public void TimeBasedUnits_AreRefusedWithNoHourlyRates(string unit)
    {
        var e = Assert.Throws<RuleViolationException>(() => QuoteService.EnsureNotTimeBased(unit));
        Assert.Equal("no-hourly-rates", e.Rule);
    }

    [Theory]
    [InlineData("fixed")]
    [InlineData("per-seat")]
    [InlineData("per-delivery")]
    [InlineData("per-repository")]
    public void OutcomeUnits_AreAccepted(string unit) => QuoteService.EnsureNotTimeBased(unit);
}

using ProServ.Core.Common;
using ProServ.Core.Features.Catalog;

namespace ProServ.Core.Tests.Features.Catalog;

public sealed class PricingUnitTests
{
    [Theory]
    [InlineData("per-hour")]
    [InlineData("per-day")]
    [InlineData(" Per-Hour ")]
    [InlineData("hourly")]
    public void TimeBasedUnits_AreRefusedByTheNoHourlyRatesRule(string unit)
    {
        var e = Assert.Throws<RuleViolationException>(() => CatalogService.EnsureNotTimeBased(unit));
        Assert.Equal("no-hourly-rates", e.Rule);
        Assert.Contains("hour", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCatalogsUnits_ContainNoTimeBasedUnit()
    {
        Assert.DoesNotContain("per-hour", PricingUnit.All);
        Assert.DoesNotContain("per-day", PricingUnit.All);
        Assert.All(PricingUnit.All, u => Assert.False(PricingUnit.IsTimeBased(u)));
        Assert.All(PricingUnit.All, CatalogService.EnsureNotTimeBased);
    }
}

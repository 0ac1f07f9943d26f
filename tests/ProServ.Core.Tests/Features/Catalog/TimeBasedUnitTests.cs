using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Quotes;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Features.Catalog;

/// "No hourly or daily rates" has one definition: the catalog, a quote and the database refuse the same units, and the
/// catalog and a quote say so with the same rule and sentence.
public abstract class TimeBasedUnitTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> TimeBasedUnits =>
        ["per-hour", "per-day", "hourly", "daily", "per-week", "person-days", "Per Half Day", "per_hour", "hr", "per/d", " Hours "];

    [Theory]
    [MemberData(nameof(TimeBasedUnits))]
    public void CatalogAndQuote_RefuseTheSameUnit_WithTheSameRuleAndSentence(string unit)
    {
        var catalog = Assert.Throws<RuleViolationException>(() => CatalogService.EnsureNotTimeBased(unit));
        var quote = Assert.Throws<RuleViolationException>(() => QuoteService.EnsureNotTimeBased(unit));
        Assert.Equal(PricingUnit.NoHourlyRatesRule, catalog.Rule);
        Assert.Equal(catalog.Rule, quote.Rule);
        Assert.Equal(catalog.Message, quote.Message);
    }

    [Theory]
    [MemberData(nameof(TimeBasedUnits))]
    public async Task CatalogService_RefusesAPackagePricedByTime_WithTheRule(string unit)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var offering = await test.InScopeAsync(sp => sp.GetRequiredService<ProServDbContext>().Offerings.Select(o => o.Id).FirstAsync(Ct));
        var e = await Assert.ThrowsAsync<RuleViolationException>(() => test.InScopeAsync(sp => sp.GetRequiredService<CatalogService>()
            .AddPackageAsync(Actor.System, offering, new PackageInput("By time", unit, 1, 2, "EUR", null, null, true), Ct)));
        Assert.Equal(PricingUnit.NoHourlyRatesRule, e.Rule);
        Assert.Equal(PricingUnit.NoHourlyRatesExplanation, e.Message);
    }

    [Theory]
    [MemberData(nameof(TimeBasedUnits))]
    public async Task Database_RefusesATimeBasedUnit_OnPackages(string unit)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => test.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ProServDbContext>();
            var offering = await db.Offerings.Select(o => o.Id).FirstAsync(Ct);
            db.CatalogPackages.Add(new CatalogPackage { Id = Guid.NewGuid(), OfferingId = offering, Name = "By time", Unit = unit, Currency = "EUR" });
            return await db.SaveChangesAsync(Ct);
        }));
    }

    [Fact]
    public async Task Database_AcceptsEveryCatalogUnit()
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var saved = await test.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ProServDbContext>();
            var offering = await db.Offerings.Select(o => o.Id).FirstAsync(Ct);
            foreach (var unit in PricingUnit.All)
            {
                db.CatalogPackages.Add(new CatalogPackage { Id = Guid.NewGuid(), OfferingId = offering, Name = "By " + unit, Unit = unit, Currency = "EUR" });
            }
            return await db.SaveChangesAsync(Ct);
        });
        Assert.Equal(PricingUnit.All.Count, saved);
    }
}

public sealed class SqliteTimeBasedUnitTests() : TimeBasedUnitTests(DatabaseProvider.Sqlite);

public sealed class PostgresTimeBasedUnitTests() : TimeBasedUnitTests(DatabaseProvider.Postgres);

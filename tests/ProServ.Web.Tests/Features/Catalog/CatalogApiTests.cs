using System.Net;
using System.Net.Http.Json;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Catalog;

/// The catalog through the API, run against each database provider.
public abstract class CatalogApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Catalog_HasTheHandbookOfferingsAndNoTimeBasedUnits()
    {
        var (_, _, engineer) = await App.UserAsync(["ps-engineer"]);
        var offerings = await (await engineer.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK);
        var names = offerings.EnumerateArray().Select(o => o.Str("name")).ToList();
        foreach (var expected in new[] { "Discovery Engagement", "GitLab with Git Basics", "GitLab Admin Training", "GitLab CI/CD Training",
                     "Migration Services", "Integration Services", "Train the Trainer", "GitLab Certification Program" })
        {
            Assert.Contains(expected, names);
        }
        var categories = offerings.EnumerateArray().Select(o => o.Str("category")).ToHashSet();
        Assert.Subset(new HashSet<string> { "discovery", "training", "migration", "integration", "certification" }, categories);
        var packages = offerings.EnumerateArray().SelectMany(o => o.GetProperty("packages").EnumerateArray()).ToList();
        Assert.NotEmpty(packages);
        Assert.All(packages, p =>
        {
            Assert.DoesNotContain(p.Str("unit"), new[] { "per-hour", "per-day" });
            Assert.True(p.GetProperty("romLow").GetDecimal() <= p.GetProperty("romHigh").GetDecimal());
            Assert.Equal(3, p.Str("currency").Length);
            Assert.NotEqual(Guid.Empty, p.Id());
        });
    }

    [Fact]
    public async Task Catalog_RefusesHourlyUnits_AndOnlyAdministratorsEdit()
    {
        var admin = await App.AdminAsync();
        var offering = (await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK))[0].Id();
        var hourly = await admin.PostAsJsonAsync($"/api/v1/catalog/offerings/{offering}/packages",
            new { name = "Consulting hour", unit = "per-hour", romLow = 200, romHigh = 300, currency = "USD" }, Ct);
        var problem = await hourly.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("no-hourly-rates", problem.Str("rule"));
        Assert.False(string.IsNullOrWhiteSpace(problem.Str("detail")));

        var daily = await admin.PostAsJsonAsync($"/api/v1/catalog/offerings/{offering}/packages",
            new { name = "Day on site", unit = "per-day", romLow = 1000, romHigh = 2000, currency = "USD" }, Ct);
        Assert.Equal("no-hourly-rates", (await daily.ProblemAsync(HttpStatusCode.UnprocessableEntity)).Str("rule"));

        var ok = await admin.PostAsJsonAsync($"/api/v1/catalog/offerings/{offering}/packages",
            new { name = "Extra workshop", unit = "per-delivery", romLow = 1000, romHigh = 2000, currency = "eur", typicalDuration = "1 day", deliverables = new[] { "Workshop" } }, Ct);
        var package = await ok.JsonAsync(HttpStatusCode.Created);
        Assert.Equal("EUR", package.Str("currency"));

        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        await (await ae.PostAsJsonAsync($"/api/v1/catalog/offerings/{offering}/packages",
            new { name = "X", unit = "fixed", romLow = 1, romHigh = 2, currency = "USD" }, Ct)).ProblemAsync(HttpStatusCode.Forbidden);
    }
}

public sealed class SqliteCatalogApiTests(SqliteApp app) : CatalogApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresCatalogApiTests(PostgresApp app) : CatalogApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProServ.Web.Tests.Features.SowRequests;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Quotes;

/// Quotes through the API: ROM ranges, no hourly rates, currencies, versions, and the director's approval of discounts.
public abstract class QuoteApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Ae, Guid Engagement, (Guid Id, decimal Low, decimal High, string Unit) Package)> MigrationEngagementAsync()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var engagement = await ae.EngagementViaRequestAsync(await App.CustomerAsync(), ["migration-services"]);
        return (ae, engagement, await ae.PackageAsync("migration-services"));
    }

    [Fact]
    public async Task Quote_FromPackagesAndCustomLines_ComputesTotals_AndWithoutDiscountIsIssuedDirectly()
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        var quote = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "usd",
            validUntil = SowApi.ValidUntil,
            lines = new object[]
            {
                new { packageId = package.Id, quantity = 1, unitPrice = 10000.00m },
                new { description = "Cut-over rehearsal", unit = "fixed", quantity = 2, unitPrice = 1250.50m },
            },
        })).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("draft", quote.Str("status"));
        Assert.Equal(1, quote.GetProperty("number").GetInt32());
        Assert.Equal("USD", quote.Str("currency"));
        Assert.Equal(12501.00m, quote.GetProperty("subtotal").GetDecimal());
        Assert.Equal(0m, quote.GetProperty("discountTotal").GetDecimal());
        Assert.Equal(12501.00m, quote.GetProperty("total").GetDecimal());
        Assert.Equal(2501.00m, quote.GetProperty("lines")[1].GetProperty("total").GetDecimal());
        Assert.Equal("fixed", quote.GetProperty("lines")[0].Str("unit"));

        var issued = await (await ae.PostAsync($"/api/v1/quotes/{quote.Id()}/issue", null, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("issued", issued.Str("status"));
        var fetched = await (await ae.GetAsync($"/api/v1/quotes/{quote.Id()}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("issued", fetched.Str("status"));
        var current = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/quotes/current", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(quote.Id(), current.Id());
    }

    [Fact]
    public async Task IssuedQuote_AndTheRequestsGoals_AppearInTheSowDocument()
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        var quote = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "USD",
            validUntil = SowApi.ValidUntil,
            lines = new object[]
            {
                new { packageId = package.Id, quantity = 1, unitPrice = 10000.00m },
                new { description = "Cut-over rehearsal weekend", unit = "fixed", quantity = 1, unitPrice = 2500m },
            },
        })).JsonAsync(HttpStatusCode.Created);
        var before = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/sow?format=html", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("Cut-over rehearsal weekend", before, StringComparison.Ordinal);

        await (await ae.PostAsync($"/api/v1/quotes/{quote.Id()}/issue", null, Ct)).JsonAsync(HttpStatusCode.OK);
        var html = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/sow?format=html", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Cut-over rehearsal weekend", html, StringComparison.Ordinal);
        Assert.Contains("Quote #1", html, StringComparison.Ordinal);
        Assert.Contains("12,500.00", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("per-hour")]
    [InlineData("per-day")]
    [InlineData("hourly")]
    [InlineData("per day")]
    public async Task Quote_WithALinePricedByTime_IsRefusedWithNoHourlyRates(string unit)
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        var problem = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "USD",
            validUntil = SowApi.ValidUntil,
            lines = new object[]
            {
                new { packageId = package.Id, quantity = 1, unitPrice = package.Low },
                new { description = "On-site support", unit, quantity = 5, unitPrice = 2000m },
            },
        })).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("no-hourly-rates", problem.Str("rule"));
        var list = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/quotes", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task Quote_PriceOutsideTheRomRange_NeedsAWrittenJustification()
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        var above = package.High + 1000m;
        var problem = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "USD", validUntil = SowApi.ValidUntil, lines = new[] { new { packageId = package.Id, quantity = 1, unitPrice = above } },
        })).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("lines[0].justification", out _), problem.ToString());

        var quote = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "USD", validUntil = SowApi.ValidUntil,
            lines = new[] { new { packageId = package.Id, quantity = 1, unitPrice = above, justification = "Three data centres instead of one." } },
        })).JsonAsync(HttpStatusCode.Created);
        Assert.True(quote.GetProperty("lines")[0].GetProperty("outsideRom").GetBoolean());
    }

    [Fact]
    public async Task Quote_InACurrencyTheCatalogDoesNotUse_IsRefused_AndBadInputListsEveryField()
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        var problem = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "EUR", validUntil = SowApi.ValidUntil, lines = new[] { new { packageId = package.Id, quantity = 1, unitPrice = package.Low } },
        })).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("EUR", problem.GetProperty("errors").GetProperty("currency")[0].GetString(), StringComparison.Ordinal);

        var bad = await (await ae.PostQuoteAsync(engagement, new
        {
            validUntil = "2001-01-01",
            lines = new object[] { new { quantity = 0, unitPrice = -1 } },
        })).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var errors = bad.GetProperty("errors");
        foreach (var field in new[] { "currency", "validUntil", "lines[0].description", "lines[0].unit", "lines[0].quantity", "lines[0].unitPrice" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Discount_NeedsTheDirectorsApproval_BeforeTheQuoteIsIssued()
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        var (_, _, manager) = await App.UserAsync(["ps-manager"]);
        var (_, _, director) = await App.UserAsync(["director-customer-success"]);
        var quote = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "USD", validUntil = SowApi.ValidUntil,
            lines = new[] { new { packageId = package.Id, quantity = 1, unitPrice = 10000m } },
            discount = new { percent = 10m },
        })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("awaiting-approval", quote.Str("status"));
        Assert.Equal(1000m, quote.GetProperty("discountTotal").GetDecimal());
        Assert.Equal(9000m, quote.GetProperty("total").GetDecimal());

        var issue = await (await ae.PostAsync($"/api/v1/quotes/{quote.Id()}/issue", null, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("discount-needs-approval", issue.Str("rule"));
        Assert.Contains("Director of Customer Success", issue.Str("detail"), StringComparison.Ordinal);

        var admin = await App.AdminAsync();
        foreach (var client in new[] { ae, manager, admin })
        {
            await (await client.PostAsJsonAsync($"/api/v1/quotes/{quote.Id()}/approve", new { comment = "fine" }, Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        }
        var inbox = await (await director.GetAsync("/api/v1/quotes?status=awaiting-approval&perPage=200", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), q => q.Id() == quote.Id());

        var stale = await (await director.PostAsJsonAsync($"/api/v1/quotes/{quote.Id()}/approve",
            new { comment = "ok", rowVersion = quote.GetProperty("rowVersion").GetInt32() + 7 }, Ct)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("reload", stale.Str("detail"), StringComparison.Ordinal);
        var approved = await (await director.PostAsJsonAsync($"/api/v1/quotes/{quote.Id()}/approve",
            new { comment = "Strategic account", rowVersion = quote.GetProperty("rowVersion").GetInt32() }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("approved", approved.Str("status"));
        Assert.Equal("Strategic account", approved.GetProperty("decision").Str("comment"));
        await (await director.PostAsJsonAsync($"/api/v1/quotes/{quote.Id()}/approve", new { comment = "again" }, Ct)).ProblemAsync(HttpStatusCode.Conflict);

        var issued = await (await ae.PostAsync($"/api/v1/quotes/{quote.Id()}/issue", null, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("issued", issued.Str("status"));

        var audit = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/audit?perPage=50", Ct)).JsonAsync(HttpStatusCode.OK);
        var actions = audit.GetProperty("items").EnumerateArray().Select(a => a.Str("action")).ToList();
        Assert.Contains("quote.created", actions);
        Assert.Contains("quote.approved", actions);
        Assert.Contains("quote.issued", actions);
    }

    [Fact]
    public async Task LineDiscount_AlsoNeedsApproval_AndARejectedQuoteIsNeverIssued()
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        var (_, _, director) = await App.UserAsync(["director-customer-success"]);
        var quote = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "USD", validUntil = SowApi.ValidUntil,
            lines = new object[]
            {
                new { packageId = package.Id, quantity = 1, unitPrice = 10000m, discount = new { amount = 500m } },
                new { description = "Wave 2 runbook", unit = "fixed", quantity = 1, unitPrice = 2000m },
            },
        })).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("awaiting-approval", quote.Str("status"));
        Assert.Equal(12000m, quote.GetProperty("subtotal").GetDecimal());
        Assert.Equal(11500m, quote.GetProperty("total").GetDecimal());

        await (await director.PostAsJsonAsync($"/api/v1/quotes/{quote.Id()}/reject", new { }, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var rejected = await (await director.PostAsJsonAsync($"/api/v1/quotes/{quote.Id()}/reject", new { comment = "Not this quarter" }, Ct))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("rejected", rejected.Str("status"));
        var issue = await (await ae.PostAsync($"/api/v1/quotes/{quote.Id()}/issue", null, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("discount-needs-approval", issue.Str("rule"));
    }

    [Fact]
    public async Task NewVersions_AreNumbered_AndSupersedeOpenOnes()
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        object Body(decimal price) => new { currency = "USD", validUntil = SowApi.ValidUntil, lines = new[] { new { packageId = package.Id, quantity = 1, unitPrice = price } } };
        var v1 = await (await ae.PostQuoteAsync(engagement, Body(package.Low))).JsonAsync(HttpStatusCode.Created);
        var v2 = await (await ae.PostQuoteAsync(engagement, Body(package.High))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, v2.GetProperty("number").GetInt32());
        var old = await (await ae.GetAsync($"/api/v1/quotes/{v1.Id()}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("superseded", old.Str("status"));
        await (await ae.PostAsync($"/api/v1/quotes/{v1.Id()}/issue", null, Ct)).ProblemAsync(HttpStatusCode.Conflict);
        var all = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/quotes", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([2, 1], all.EnumerateArray().Select(q => q.GetProperty("number").GetInt32()));
    }

    [Fact]
    public async Task Quote_ForACeCustomersServices_IsRefusedWithCeNoServices()
    {
        var admin = await App.AdminAsync();
        var ce = await App.CustomerAsync("free");
        var engagement = (await (await admin.PostAsJsonAsync("/api/v1/engagements",
            new { customerId = ce, offeringIds = new[] { await admin.OfferingAsync("discovery-engagement") }, title = "Discovery" }, Ct))
            .JsonAsync(HttpStatusCode.Created)).Id();
        var integration = await admin.PackageAsync("integration-services");
        var problem = await (await admin.PostQuoteAsync(engagement, new
        {
            currency = "USD", validUntil = SowApi.ValidUntil, lines = new[] { new { packageId = integration.Id, quantity = 1, unitPrice = integration.Low } },
        })).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ce-no-services", problem.Str("rule"));

        var discovery = await admin.PackageAsync("discovery-engagement");
        await (await admin.PostQuoteAsync(engagement, new
        {
            currency = "USD", validUntil = SowApi.ValidUntil, lines = new[] { new { packageId = discovery.Id, quantity = 1, unitPrice = discovery.Low } },
        })).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task DryRun_ReturnsTheRulesErrorsAndTotals_AndSavesNothing()
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        var check = await (await ae.PostAsJsonAsync($"/api/v1/engagements/{engagement}/quotes?dryRun=true", new
        {
            currency = "USD", validUntil = SowApi.ValidUntil,
            lines = new object[]
            {
                new { packageId = package.Id, quantity = 1, unitPrice = package.High + 1 },
                new { description = "Support", unit = "per-day", quantity = 3, unitPrice = 1000m },
            },
        }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.False(check.GetProperty("accepted").GetBoolean());
        Assert.Equal(["no-hourly-rates"], check.GetProperty("rules").EnumerateArray().Select(r => r.Str("rule")));
        Assert.True(check.GetProperty("errors").TryGetProperty("lines[0].justification", out _));

        var ok = await (await ae.PostAsJsonAsync($"/api/v1/engagements/{engagement}/quotes?dryRun=true", new
        {
            currency = "USD", validUntil = SowApi.ValidUntil, lines = new[] { new { packageId = package.Id, quantity = 2, unitPrice = package.Low } },
            discount = new { amount = 100m },
        }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.True(ok.GetProperty("accepted").GetBoolean());
        Assert.True(ok.GetProperty("requiresApproval").GetBoolean());
        Assert.Equal(package.Low * 2 - 100m, ok.GetProperty("total").GetDecimal());
        var list = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/quotes", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task OpenApi_DescribesThePipeline()
    {
        using var client = App.Anonymous();
        var paths = (await (await client.GetAsync("/openapi/v1.json", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("paths");
        foreach (var path in new[] { "/api/v1/sow-requests", "/api/v1/engagements/{id}/quotes", "/api/v1/quotes/{id}", "/api/v1/quotes/{id}/approve",
                     "/api/v1/quotes/{id}/reject", "/api/v1/quotes/{id}/issue", "/api/v1/engagements/{id}/agreement",
                     "/api/v1/engagements/{id}/purchase-order", "/api/v1/engagements/{id}/bookings" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document lacks {path}");
        }
    }

    [Fact]
    public async Task CustomerContacts_SeeOnlyTheirOwnIssuedQuotes()
    {
        var (ae, engagement, package) = await MigrationEngagementAsync();
        var customer = (await (await ae.GetAsync($"/api/v1/engagements/{engagement}", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("customerId").GetGuid();
        var (_, _, own) = await App.UserAsync(["customer-contact"], customer);
        var (_, _, other) = await App.UserAsync(["customer-contact"], await App.CustomerAsync());
        var quote = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "USD", validUntil = SowApi.ValidUntil, lines = new[] { new { packageId = package.Id, quantity = 1, unitPrice = package.Low } },
        })).JsonAsync(HttpStatusCode.Created);
        await (await own.GetAsync($"/api/v1/quotes/{quote.Id()}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await own.PostQuoteAsync(engagement, new { currency = "USD" })).ProblemAsync(HttpStatusCode.Forbidden);
        (await ae.PostAsync($"/api/v1/quotes/{quote.Id()}/issue", null, Ct)).EnsureSuccessStatusCode();
        await (await own.GetAsync($"/api/v1/quotes/{quote.Id()}", Ct)).JsonAsync(HttpStatusCode.OK);
        await (await other.GetAsync($"/api/v1/quotes/{quote.Id()}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SqliteQuoteApiTests(SqliteApp app) : QuoteApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresQuoteApiTests(PostgresApp app) : QuoteApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

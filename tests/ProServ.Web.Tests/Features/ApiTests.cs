using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Features.ApiTokens;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features;

/// The REST API contract, run against each database provider.
public abstract class ApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_IsAnonymousAndAnswersWhenTheDatabaseDoes()
    {
        using var client = App.Anonymous();
        var response = await client.GetAsync("/healthz", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_IsAnonymousAndDescribesTheApi()
    {
        using var client = App.Anonymous();
        var doc = await (await client.GetAsync("/openapi/v1.json", Ct)).JsonAsync(HttpStatusCode.OK);
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/customers", "/api/v1/customers/{id}", "/api/v1/catalog/offerings", "/api/v1/users",
                     "/api/v1/engagements", "/api/v1/engagements/{id}/transitions", "/api/v1/auth/tokens" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document lacks {path}");
        }
    }

    [Theory]
    [InlineData("/api/v1/customers")]
    [InlineData("/api/v1/catalog/offerings")]
    [InlineData("/api/v1/engagements")]
    [InlineData("/api/v1/users")]
    [InlineData("/api/v1/audit")]
    [InlineData("/api/v1/auth/tokens")]
    public async Task Api_WithoutToken_Is401Problem(string url)
    {
        using var client = App.Anonymous();
        var problem = await (await client.GetAsync(url, Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Api_WithUnknownToken_Is401()
    {
        using var client = App.WithToken("psv_not-a-real-token");
        await (await client.GetAsync("/api/v1/customers", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tokens_WrongPassword_Is401_AndTokenIsStoredOnlyAsHash()
    {
        using var anonymous = App.Anonymous();
        var bad = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens",
            new { email = AppFactory.AdminEmail, password = "wrong password here", name = "x" }, Ct);
        await bad.ProblemAsync(HttpStatusCode.Unauthorized);

        var good = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens",
            new { email = AppFactory.AdminEmail, password = AppFactory.AdminPassword, name = "ci", expiresInDays = 7 }, Ct);
        var body = await good.JsonAsync(HttpStatusCode.Created);
        var token = body.Str("token");
        Assert.StartsWith("psv_", token, StringComparison.Ordinal);

        await using var db = App.NewDbContext();
        var stored = await db.ApiTokens.SingleAsync(t => t.Id == body.Id(), Ct);
        Assert.NotEqual(token, stored.Hash);
        Assert.Equal(ApiTokenService.Hash(token), stored.Hash);
        Assert.DoesNotContain(token, stored.Prefix + stored.Hash + stored.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_AreListedAndRevoked_AndARevokedTokenStopsWorking()
    {
        var (_, email, _) = await App.UserAsync(["ps-engineer"]);
        var token = await App.TokenAsync(email, AppFactory.Password);
        using var client = App.WithToken(token);
        var list = await (await client.GetAsync("/api/v1/auth/tokens", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, list.GetArrayLength());
        var mine = list.EnumerateArray().Single(t => token.StartsWith(t.Str("prefix"), StringComparison.Ordinal));
        Assert.True(mine.GetProperty("isActive").GetBoolean());
        Assert.False(mine.TryGetProperty("hash", out _));

        (await client.DeleteAsync($"/api/v1/auth/tokens/{mine.Id()}", Ct)).EnsureSuccessStatusCode();
        await (await client.GetAsync("/api/v1/customers", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tokens_ExpireAfterTheirLifetime()
    {
        var (_, email, _) = await App.UserAsync(["ps-engineer"]);
        var token = await App.TokenAsync(email, AppFactory.Password, days: 1);
        using var client = App.WithToken(token);
        (await client.GetAsync("/api/v1/catalog/offerings", Ct)).EnsureSuccessStatusCode();
        App.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await (await client.GetAsync("/api/v1/catalog/offerings", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignIn_LocksTheAccountAfterRepeatedFailures_WithTheAnswerOfAWrongPassword()
    {
        var (_, email, _) = await App.UserAsync(["account-executive"]);
        using var anonymous = App.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            var r = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = "wrong password " + i, name = "x" }, Ct);
            Assert.NotEqual(HttpStatusCode.Created, r.StatusCode);
        }
        // Locked: even the right password is refused, and the answer does not say that the account exists (issue 15).
        var locked = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = AppFactory.Password, name = "x" }, Ct);
        var problem = await locked.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Sign-in failed", problem.Str("title"));
    }

    [Fact]
    public async Task Users_PasswordNeedsTwelveCharactersButNoComposition()
    {
        var admin = await App.AdminAsync();
        var tooShort = await admin.PostAsJsonAsync("/api/v1/users",
            new { email = $"s-{Guid.NewGuid():n}@x.test", password = "Sh0rt!pass", name = "Short", roles = new[] { "ps-engineer" } }, Ct);
        var problem = await tooShort.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));

        var plain = await admin.PostAsJsonAsync("/api/v1/users",
            new { email = $"p-{Guid.NewGuid():n}@x.test", password = "aaaaaaaaaaaa", name = "Plain", roles = new[] { "ps-engineer" } }, Ct);
        await plain.JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Users_AdministratorsOnly_AndValidationListsEveryBadField()
    {
        var (_, _, manager) = await App.UserAsync(["ps-manager", "ps-engineer"]);
        await (await manager.GetAsync("/api/v1/users", Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.PostAsJsonAsync("/api/v1/users", new { email = "x@y.test" }, Ct)).ProblemAsync(HttpStatusCode.Forbidden);

        var admin = await App.AdminAsync();
        var bad = await admin.PostAsJsonAsync("/api/v1/users",
            new { email = "not-an-email", password = "short", name = "", roles = new[] { "wizard" } }, Ct);
        var errors = (await bad.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors");
        foreach (var field in new[] { "email", "password", "name", "roles" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        var contactWithoutCustomer = await admin.PostAsJsonAsync("/api/v1/users",
            new { email = $"c-{Guid.NewGuid():n}@x.test", password = AppFactory.Password, name = "C", roles = new[] { "customer-contact" } }, Ct);
        Assert.True((await contactWithoutCustomer.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors").TryGetProperty("customerId", out _));
    }

    [Fact]
    public async Task Users_MayHoldSeveralRoles()
    {
        var (id, _, _) = await App.UserAsync(["ps-manager", "ps-engineer"]);
        var admin = await App.AdminAsync();
        var user = await (await admin.GetAsync($"/api/v1/users/{id}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["ps-engineer", "ps-manager"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Customers_CreateGetPatchList()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var name = "Initech " + Guid.NewGuid().ToString("n")[..8];
        var created = await (await ae.PostAsJsonAsync("/api/v1/customers",
            new { name, tier = "free", licensedSeats = 50, activeUsers = 20, upgradingFromCe = true }, Ct)).JsonAsync(HttpStatusCode.Created);
        var id = created.Id();
        Assert.Equal("free", created.Str("tier"));
        Assert.False(created.GetProperty("isPaying").GetBoolean());
        Assert.Equal(0.4m, created.GetProperty("utilisation").GetDecimal());

        var patched = await (await ae.PatchAsJsonAsync($"/api/v1/customers/{id}", new { tier = "ultimate", activeUsers = 45 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("ultimate", patched.Str("tier"));
        Assert.Equal(45, patched.GetProperty("activeUsers").GetInt32());
        Assert.Equal(50, patched.GetProperty("licensedSeats").GetInt32());
        Assert.True(patched.GetProperty("isPaying").GetBoolean());

        var fetched = await (await ae.GetAsync($"/api/v1/customers/{id}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(name, fetched.Str("name"));
        Assert.True(fetched.GetProperty("upgradingFromCe").GetBoolean());

        var found = await (await ae.GetAsync($"/api/v1/customers?search={Uri.EscapeDataString(name)}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, found.GetProperty("total").GetInt32());

        var admin = await App.AdminAsync();
        var audit = await (await admin.GetAsync($"/api/v1/audit?entityType=customer&entityId={id}", Ct)).JsonAsync(HttpStatusCode.OK);
        var actions = audit.GetProperty("items").EnumerateArray().Select(a => a.Str("action")).ToList();
        Assert.Contains("customer.created", actions);
        Assert.Contains("customer.updated", actions);
    }

    [Fact]
    public async Task Customers_ValidationListsEveryBadFieldAtOnce()
    {
        var admin = await App.AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/customers", new { name = "", tier = "platinum", licensedSeats = -1, activeUsers = -5 }, Ct);
        var errors = (await response.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors");
        foreach (var field in new[] { "name", "tier", "licensedSeats", "activeUsers" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Customers_ListPaginatesWithTotal()
    {
        for (var i = 0; i < 3; i++) await App.CustomerAsync();
        var admin = await App.AdminAsync();
        var page = await (await admin.GetAsync("/api/v1/customers?page=2&perPage=2", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.True(page.GetProperty("total").GetInt32() >= 3);
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("perPage").GetInt32());
        Assert.InRange(page.GetProperty("items").GetArrayLength(), 1, 2);
    }

    [Fact]
    public async Task CustomerContact_SeesOnlyItsOwnCustomer()
    {
        var mine = await App.CustomerAsync();
        var theirs = await App.CustomerAsync();
        var admin = await App.AdminAsync();
        var offering = (await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK))[0].Id();
        var theirEngagement = (await (await admin.PostAsJsonAsync("/api/v1/engagements",
            new { customerId = theirs, offeringIds = new[] { offering }, title = "Theirs" }, Ct)).JsonAsync(HttpStatusCode.Created)).Id();
        var myEngagement = (await (await admin.PostAsJsonAsync("/api/v1/engagements",
            new { customerId = mine, offeringIds = new[] { offering }, title = "Mine" }, Ct)).JsonAsync(HttpStatusCode.Created)).Id();

        var (_, _, contact) = await App.UserAsync(["customer-contact"], mine);

        var customers = await (await contact.GetAsync("/api/v1/customers", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([mine], customers.GetProperty("items").EnumerateArray().Select(c => c.Id()));
        Assert.Equal(1, customers.GetProperty("total").GetInt32());
        await (await contact.GetAsync($"/api/v1/customers/{mine}", Ct)).JsonAsync(HttpStatusCode.OK);
        await (await contact.GetAsync($"/api/v1/customers/{theirs}", Ct)).ProblemAsync(HttpStatusCode.NotFound);

        var engagements = await (await contact.GetAsync("/api/v1/engagements?perPage=200", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([myEngagement], engagements.GetProperty("items").EnumerateArray().Select(e => e.Id()));
        await (await contact.GetAsync($"/api/v1/engagements/{myEngagement}", Ct)).JsonAsync(HttpStatusCode.OK);
        await (await contact.GetAsync($"/api/v1/engagements/{theirEngagement}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await contact.GetAsync($"/api/v1/engagements/{theirEngagement}/audit", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        var filtered = await (await contact.GetAsync($"/api/v1/engagements?customerId={theirs}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, filtered.GetProperty("total").GetInt32());

        // Nor can it write: creating customers, engagements or moving stages are team actions.
        await (await contact.PostAsJsonAsync("/api/v1/customers", new { name = "Sneaky", tier = "free" }, Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await contact.PatchAsJsonAsync($"/api/v1/customers/{theirs}", new { name = "Owned" })).ProblemAsync(HttpStatusCode.Forbidden);
        await (await contact.PostAsJsonAsync($"/api/v1/engagements/{myEngagement}/transitions", new { to = "cancelled" }, Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await contact.GetAsync("/api/v1/audit", Ct)).ProblemAsync(HttpStatusCode.Forbidden);
    }

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

    [Fact]
    public async Task Engagements_MoveOnlyAlongAllowedTransitions_AndEveryMoveIsAudited()
    {
        var (_, _, engineer) = await App.UserAsync(["ps-engineer"]);
        var customer = await App.CustomerAsync();
        var offering = (await (await engineer.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK))[0].Id();
        var created = await (await engineer.PostAsJsonAsync("/api/v1/engagements",
            new { customerId = customer, offeringIds = new[] { offering }, title = "HA rollout" }, Ct)).JsonAsync(HttpStatusCode.Created);
        var id = created.Id();
        Assert.Equal("requested", created.Str("stage"));

        async Task<HttpResponseMessage> Move(string to, string? reason = null) =>
            await engineer.PostAsJsonAsync($"/api/v1/engagements/{id}/transitions", new { to, reason }, Ct);

        var skip = await (await Move("signed")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("engagement-stage-transition", skip.Str("rule"));
        Assert.Contains("requested", skip.Str("detail"), StringComparison.Ordinal);

        await (await Move("nonsense")).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        foreach (var stage in new[] { "scoping", "quoted", "sow-review", "signed", "scheduled", "in-delivery", "closed" })
        {
            if (stage == "scheduled")
            {
                // no-dates-before-agreement-and-po: scheduling needs the signed agreement and the P.O. on record.
                (await engineer.PostAsJsonAsync($"/api/v1/engagements/{id}/agreement", new { signedOn = "2026-11-01", signer = "Ada" }, Ct)).EnsureSuccessStatusCode();
                (await engineer.PostAsJsonAsync($"/api/v1/engagements/{id}/purchase-order",
                    new { number = "PO-1", amount = 20000m, currency = "USD", receivedOn = "2026-11-02" }, Ct)).EnsureSuccessStatusCode();
            }
            var moved = await (await Move(stage, $"to {stage}")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(stage, moved.Str("stage"));
        }
        await (await Move("cancelled")).ProblemAsync(HttpStatusCode.Conflict);

        var fetched = await (await engineer.GetAsync($"/api/v1/engagements/{id}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("closed", fetched.Str("stage"));

        var audit = await (await engineer.GetAsync($"/api/v1/engagements/{id}/audit?perPage=50", Ct)).JsonAsync(HttpStatusCode.OK);
        var moves = audit.GetProperty("items").EnumerateArray().Where(a => a.Str("action") == "engagement.stage-changed").ToList();
        Assert.Equal(7, moves.Count);
        Assert.All(moves, m => Assert.StartsWith("to ", m.Str("reason"), StringComparison.Ordinal));
        Assert.All(moves, m => Assert.StartsWith("Test ps-engineer", m.Str("actorName"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Engagements_CanBeCancelledFromAnyOpenStage()
    {
        var admin = await App.AdminAsync();
        var customer = await App.CustomerAsync();
        var offering = (await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK))[0].Id();
        var id = (await (await admin.PostAsJsonAsync("/api/v1/engagements",
            new { customerId = customer, offeringIds = new[] { offering }, title = "Short-lived" }, Ct)).JsonAsync(HttpStatusCode.Created)).Id();
        await (await admin.PostAsJsonAsync($"/api/v1/engagements/{id}/transitions", new { to = "scoping" }, Ct)).JsonAsync(HttpStatusCode.OK);
        var cancelled = await (await admin.PostAsJsonAsync($"/api/v1/engagements/{id}/transitions",
            new { to = "cancelled", reason = "Customer chose a partner" }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Str("stage"));
        Assert.Empty(cancelled.GetProperty("nextStages").EnumerateArray());
    }

    [Fact]
    public async Task Engagements_ValidationListsEveryBadField()
    {
        var admin = await App.AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/engagements", new { customerId = Guid.NewGuid(), offeringIds = Array.Empty<Guid>(), title = "" }, Ct);
        var errors = (await response.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors");
        foreach (var field in new[] { "customerId", "offeringIds", "title" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Theory]
    [InlineData("free", "migration-services", "ce-no-services")]
    [InlineData("free", "gitlab-git-basics", "training-only-requires-ee")]
    [InlineData("premium", "gitlab-admin-training", "training-only-requires-use-case")]
    public async Task Engagements_OpenedDirectly_ObeyTheEligibilityRules(string tier, string slug, string rule)
    {
        var admin = await App.AdminAsync();
        var customer = await App.CustomerAsync(tier);
        var offerings = await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK);
        var offering = offerings.EnumerateArray().Single(o => o.Str("slug") == slug).Id();
        var refused = await admin.PostAsJsonAsync("/api/v1/engagements", new { customerId = customer, offeringIds = new[] { offering }, title = "Direct" }, Ct);
        Assert.Equal(rule, (await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity)).Str("rule"));
        var list = await (await admin.GetAsync($"/api/v1/engagements?customerId={customer}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        var discovery = offerings.EnumerateArray().Single(o => o.Str("slug") == "discovery-engagement").Id();
        await (await admin.PostAsJsonAsync("/api/v1/engagements", new { customerId = customer, offeringIds = new[] { discovery }, title = "Discovery" }, Ct))
            .JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task MalformedJson_IsAProblem()
    {
        var admin = await App.AdminAsync();
        var response = await admin.PostAsync("/api/v1/customers", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), Ct);
        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }
}

public sealed class SqliteApiTests(SqliteApp app) : ApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresApiTests(PostgresApp app) : ApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

using System.Net;
using System.Net.Http.Json;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Customers;

/// Customers through the API, run against each database provider.
public abstract class CustomersApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
}

public sealed class SqliteCustomersApiTests(SqliteApp app) : CustomersApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresCustomersApiTests(PostgresApp app) : CustomersApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

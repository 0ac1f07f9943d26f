using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.SowRequests;

/// Shortcuts for the SOW pipeline's API tests: catalog ids by slug, a complete request body, an engagement via a request.
internal static class SowApi
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<JsonElement> CatalogAsync(this HttpClient client) =>
        await (await client.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK);

    public static async Task<Guid> OfferingAsync(this HttpClient client, string slug) =>
        (await client.CatalogAsync()).EnumerateArray().Single(o => o.Str("slug") == slug).Id();

    /// The first package of the offering: (id, romLow, romHigh, unit).
    public static async Task<(Guid Id, decimal Low, decimal High, string Unit)> PackageAsync(this HttpClient client, string slug)
    {
        var p = (await client.CatalogAsync()).EnumerateArray().Single(o => o.Str("slug") == slug).GetProperty("packages")[0];
        return (p.Id(), p.GetProperty("romLow").GetDecimal(), p.GetProperty("romHigh").GetDecimal(), p.Str("unit"));
    }

    public static object Request(Guid customerId, Guid[] offeringIds, string? useCase = null) => new
    {
        customerId,
        offeringIds,
        goals = "Move 400 repositories off SVN and standardise CI within two quarters.",
        environment = new { vcs = "SVN 1.14, GitHub Enterprise 3.9", ci = "Jenkins", authentication = "Active Directory over LDAP", users = "450" },
        timeline = "Start in January 2027; done before the June release.",
        contacts = new[] { new { name = "Ada Lovelace", email = "ada@customer.test", role = "CTO" } },
        useCase,
    };

    public static Task<HttpResponseMessage> PostRequestAsync(this HttpClient client, object body, bool dryRun = false) =>
        client.PostAsJsonAsync(dryRun ? "/api/v1/sow-requests?dryRun=true" : "/api/v1/sow-requests", body, Ct);

    /// Files a complete request and returns the engagement id.
    public static async Task<Guid> EngagementViaRequestAsync(this HttpClient client, Guid customerId, string[] slugs, string? useCase = null)
    {
        var ids = new List<Guid>();
        foreach (var slug in slugs) ids.Add(await client.OfferingAsync(slug));
        var created = await (await client.PostRequestAsync(Request(customerId, [.. ids], useCase))).JsonAsync(HttpStatusCode.Created);
        return created.GetProperty("engagementId").GetGuid();
    }

    public static Task<HttpResponseMessage> MoveAsync(this HttpClient client, Guid engagementId, string to) =>
        client.PostAsJsonAsync($"/api/v1/engagements/{engagementId}/transitions", new { to, reason = "test" }, Ct);

    public static string ValidUntil => TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static Task<HttpResponseMessage> PostQuoteAsync(this HttpClient client, Guid engagementId, object body) =>
        client.PostAsJsonAsync($"/api/v1/engagements/{engagementId}/quotes", body, Ct);

    public static IEnumerable<string> Rules(this JsonElement problem) =>
        problem.TryGetProperty("rules", out var r) ? r.EnumerateArray().Select(x => x.Str("rule")) : [];
}

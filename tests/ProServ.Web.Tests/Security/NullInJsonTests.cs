using System.Net;
using System.Text;
using ProServ.Web.Tests.Features.SowRequests;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Security;

/// A null where a body's declared type forbids one (an element of a list, a required field of a nested object) was a
/// NullReferenceException and a 500 on these operations; each is now a 422 problem naming the field, and a value of
/// the wrong type is a 400 naming it.
public abstract class NullInJsonTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, string> NullElements => new()
    {
        { "POST", "/api/v1/issues", """{"title":"Null label","labels":["a",null]}""", "labels[1]" },
        { "PATCH", "/api/v1/issues/{issue}", """{"labels":[null]}""", "labels[0]" },
        { "PATCH", "/api/v1/issues/{issue}", """{"addLabels":["x",null]}""", "addLabels[1]" },
        { "PATCH", "/api/v1/issues/{issue}", """{"removeLabels":[null]}""", "removeLabels[0]" },
        { "POST", "/api/v1/customers", """{"name":"Null contact","tier":"premium","licensedSeats":10,"activeUsers":1,"contacts":[null]}""", "contacts[0]" },
        { "POST", "/api/v1/catalog/offerings/{offering}/packages", """{"name":"Null deliverable","unit":"fixed","deliverables":["Plan",null]}""", "deliverables[1]" },
        { "PATCH", "/api/v1/catalog/packages/{package}", """{"deliverables":[null]}""", "deliverables[0]" },
        { "POST", "/api/v1/users", """{"email":"null-role@proserv.test","password":"a long enough passphrase","name":"N","roles":[null]}""", "roles[0]" },
        { "PATCH", "/api/v1/users/{user}", """{"roles":["ps-engineer",null]}""", "roles[1]" },
        { "POST", "/api/v1/boards", """{"name":"Null column","columns":[null]}""", "columns[0]" },
        { "PATCH", "/api/v1/boards/{board}", """{"columns":["Doing",null]}""", "columns[1]" },
        { "PUT", "/api/v1/sow-requests/template", """{"fields":[null],"version":1}""", "fields[0]" },
        { "PUT", "/api/v1/sow-requests/template", """{"fields":[{"key":null,"label":"Goals","help":"","required":"always"}],"version":1}""", "fields[0].key" },
        { "POST", "/api/v1/engagements/{engagement}/quotes", """{"currency":"USD","lines":[null]}""", "lines[0]" },
        { "POST", "/api/v1/engagements/{engagement}/quotes?dryRun=true", """{"currency":"USD","lines":[null]}""", "lines[0]" },
        { "PUT", "/api/v1/issue-templates/null-check", """{"name":"N","labels":[null],"requiredSections":["Goals",null]}""", "labels[0]" },
    };

    [Theory]
    [MemberData(nameof(NullElements))]
    public async Task NullElement_IsA422NamingTheField(string method, string url, string body, string field)
    {
        var response = await SendAsync(method, await UrlAsync(url), body);
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    [Fact]
    public async Task EveryNull_IsListedAtOnce()
    {
        var response = await SendAsync("PUT", "/api/v1/issue-templates/null-check-all", """{"name":"N","labels":[null],"requiredSections":["Goals",null]}""");
        var errors = (await response.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("labels[0]", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("requiredSections[1]", out _), errors.ToString());
    }

    [Fact]
    public async Task NullsWhereTheyAreAllowed_AreStillAccepted()
    {
        var response = await SendAsync("POST", "/api/v1/issues", """{"title":"Nullable fields","labels":null,"description":null,"assigneeIds":null}""");
        await response.JsonAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("POST", "/api/v1/engagements", """{"customerId":"{customer}","offeringIds":[null],"title":"Null id"}""", "offeringIds[0]")]
    [InlineData("PATCH", "/api/v1/issues/{issue}", """{"weight":"heavy"}""", "weight")]
    [InlineData("POST", "/api/v1/customers", """{"name":"Huge","tier":"premium","licensedSeats":99999999999999999999,"activeUsers":1}""", "licensedSeats")]
    public async Task ValueOfTheWrongType_IsA400NamingTheField(string method, string url, string body, string field)
    {
        var response = await SendAsync(method, await UrlAsync(url), await UrlAsync(body));
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
        Assert.DoesNotContain("System.", problem.ToString(), StringComparison.Ordinal);
    }

    /// PostgreSQL refuses the NUL character even as a search term, and SQLite would keep it: both are a 422 naming the field.
    [Theory]
    [InlineData("POST", "/api/v1/labels", """{"name":"a\u0000b","color":"#336699"}""", "name")]
    [InlineData("POST", "/api/v1/auth/tokens", """{"email":"x\u0000@proserv.test","password":"whatever it is"}""", "email")]
    [InlineData("POST", "/api/v1/sow-requests", """{"goals":{"text":["fine","not\u0000fine"]}}""", "goals.text[1]")]
    [InlineData("GET", "/api/v1/customers?search=a%00b", "", "search")]
    [InlineData("GET", "/api/v1/issues?label=ok&label=a%00b", "", "label[1]")]
    public async Task NulCharacter_IsA422NamingTheField(string method, string url, string body, string field)
    {
        var response = await SendAsync(method, url, body);
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    /// The model's limits hold on both databases: PostgreSQL refused these with an error (a 500), SQLite kept them.
    [Theory]
    [InlineData("POST", "/api/v1/customers/{customer}/contacts", """{"name":"Long phone","email":"long-phone@customer.test","phone":"0123456789012345678901234567890123456789012345678901234567890"}""", "phone")]
    [InlineData("POST", "/api/v1/catalog/offerings/{offering}/packages", """{"name":"Too dear","unit":"fixed","romLow":100000000000000000000,"romHigh":100000000000000000001,"currency":"USD","deliverables":["Plan"]}""", "romLow")]
    public async Task ValueBeyondTheModelsLimits_IsA422NamingTheField(string method, string url, string body, string field)
    {
        var response = await SendAsync(method, await UrlAsync(url), body);
        var problem = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string url, string body)
    {
        var admin = await App.AdminAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET") request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return await admin.SendAsync(request, Ct);
    }

    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);

    /// Fills {issue}, {customer}, {offering}, {package}, {user}, {board}, {engagement} with real ids, made once per test.
    private async Task<string> UrlAsync(string template)
    {
        var admin = await App.AdminAsync();
        foreach (var name in new[] { "issue", "customer", "offering", "package", "user", "board", "engagement" })
        {
            if (!template.Contains("{" + name + "}", StringComparison.Ordinal)) continue;
            if (!_ids.TryGetValue(name, out var id))
            {
                id = name switch
                {
                    "issue" => (await (await admin.PostAsync("/api/v1/issues", Json("""{"title":"Target"}"""), Ct)).JsonAsync(HttpStatusCode.Created))
                        .GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "customer" => (await App.CustomerAsync()).ToString(),
                    "offering" => (await admin.OfferingAsync("migration-services")).ToString(),
                    "package" => (await admin.PackageAsync("migration-services")).Id.ToString(),
                    "user" => (await App.UserAsync(["ps-engineer"])).Id.ToString(),
                    "board" => (await (await admin.PostAsync("/api/v1/boards", Json($$"""{"name":"Board {{Guid.NewGuid():n}}","columns":["Doing"]}"""), Ct))
                        .JsonAsync(HttpStatusCode.Created)).Id().ToString(),
                    _ => (await admin.EngagementViaRequestAsync(await App.CustomerAsync(), ["migration-services"])).ToString(),
                };
                _ids[name] = id;
            }
            template = template.Replace("{" + name + "}", id, StringComparison.Ordinal);
        }
        return template;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

public sealed class SqliteNullInJsonTests(SqliteApp app) : NullInJsonTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresNullInJsonTests(PostgresApp app) : NullInJsonTests<PostgresApp>(app), IClassFixture<PostgresApp>;

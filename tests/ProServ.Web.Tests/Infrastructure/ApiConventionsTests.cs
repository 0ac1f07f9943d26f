using System.Net;

namespace ProServ.Web.Tests.Infrastructure;

/// The API's shared contract, run against each database provider: health, the OpenAPI document, 401 problems, malformed JSON.
public abstract class ApiConventionsTests<TApp>(TApp app) where TApp : AppFactory
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
    public async Task MalformedJson_IsAProblem()
    {
        var admin = await App.AdminAsync();
        var response = await admin.PostAsync("/api/v1/customers", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"), Ct);
        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }
}

public sealed class SqliteApiConventionsTests(SqliteApp app) : ApiConventionsTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresApiConventionsTests(PostgresApp app) : ApiConventionsTests<PostgresApp>(app), IClassFixture<PostgresApp>;

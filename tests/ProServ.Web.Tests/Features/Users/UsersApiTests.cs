using System.Net;
using System.Net.Http.Json;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Users;

/// Users through the API, run against each database provider.
public abstract class UsersApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
}

public sealed class SqliteUsersApiTests(SqliteApp app) : UsersApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresUsersApiTests(PostgresApp app) : UsersApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

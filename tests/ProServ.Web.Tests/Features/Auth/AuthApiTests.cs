using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Features.ApiTokens;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Auth;

/// API tokens and sign-in through the API, run against each database provider.
public abstract class AuthApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
}

public sealed class SqliteAuthApiTests(SqliteApp app) : AuthApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresAuthApiTests(PostgresApp app) : AuthApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

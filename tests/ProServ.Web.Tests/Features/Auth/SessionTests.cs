using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Features.Users;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Auth;

/// Sessions can be seen and ended, and credential changes end old credentials (issue 15 §2), on each database.
public abstract partial class SessionTests<TApp>(TApp app) where TApp : AppFactory
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Guid Id, string Email, HttpClient Token, Browser A, Browser B)> TwoSessionsAsync()
    {
        var (id, email, token) = await app.UserAsync(["ps-engineer"]);
        var a = Browser.For(app);
        var b = Browser.For(app);
        await a.SignedInAsync(email, AppFactory.Password);
        await b.SignedInAsync(email, AppFactory.Password);
        return (id, email, token, a, b);
    }

    [Fact]
    public async Task OwnSessions_AreListed_AndEndingOneSignsItOutAtOnce()
    {
        var (_, _, _, a, b) = await TwoSessionsAsync();
        using (a)
        using (b)
        {
            var html = await a.HtmlAsync("/account/sessions");
            var ids = SessionRow().Matches(html).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(2, ids.Count);
            Assert.Contains("This session", html, StringComparison.Ordinal);
            var current = CurrentRow().Match(html).Groups[1].Value;
            var other = ids.Single(i => i != current);

            var ended = await a.PostAsync("/account/sessions", "/account/sessions?handler=End", ("sessionId", other));
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.Contains("/account/sign-in", await b.RedirectOfAsync("/") ?? "", StringComparison.Ordinal);
            Assert.True(await a.IsSignedInAsync(), "the session that ended the other one goes on");
        }
    }

    [Fact]
    public async Task EndAllOthers_SignsOutEveryOtherSession()
    {
        var (_, _, _, a, b) = await TwoSessionsAsync();
        using (a)
        using (b)
        {
            var ended = await a.PostAsync("/account/sessions", "/account/sessions?handler=EndOthers");
            Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
            Assert.False(await b.IsSignedInAsync());
            Assert.True(await a.IsSignedInAsync());
        }
    }

    [Fact]
    public async Task AnotherUsersSession_CannotBeEndedByAPerson_ButByAnAdministrator()
    {
        var (id, _, _, a, b) = await TwoSessionsAsync();
        var (_, otherEmail, _) = await app.UserAsync(["ps-engineer"]);
        using var stranger = Browser.For(app);
        await stranger.SignedInAsync(otherEmail, AppFactory.Password);
        using var admin = Browser.For(app);
        await admin.SignedInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        using (a)
        using (b)
        {
            var victim = SessionRow().Match(await a.HtmlAsync("/account/sessions")).Groups[1].Value;
            var refused = await stranger.PostAsync("/account/sessions", "/account/sessions?handler=End", ("sessionId", victim));
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.True(await a.IsSignedInAsync() && await b.IsSignedInAsync());

            var adminPage = await admin.HtmlAsync($"/admin/users/{id}");
            Assert.Equal(2, SessionRow().Matches(adminPage).Count);
            var all = await admin.PostAsync($"/admin/users/{id}", $"/admin/users/{id}?handler=EndAllSessions");
            Assert.Equal(HttpStatusCode.Redirect, all.StatusCode);
            Assert.False(await a.IsSignedInAsync());
            Assert.False(await b.IsSignedInAsync());
            Assert.True(await admin.IsSignedInAsync());
        }
    }

    [Fact]
    public async Task AdministratorApi_ListsAndEndsAUsersSessions()
    {
        var (id, _, token, a, b) = await TwoSessionsAsync();
        using (a)
        using (b)
        {
            var admin = await app.AdminAsync();
            var list = await (await admin.GetAsync($"/api/v1/users/{id}/sessions", Ct)).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(2, list.GetArrayLength());
            await (await token.GetAsync($"/api/v1/users/{id}/sessions", Ct)).ProblemAsync(HttpStatusCode.Forbidden);
            await (await admin.DeleteAsync($"/api/v1/users/{Guid.NewGuid()}/sessions/{list[0].Id()}", Ct)).ProblemAsync(HttpStatusCode.NotFound);

            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{id}/sessions/{list[0].Id()}", Ct)).StatusCode);
            Assert.Equal(1, (await (await admin.GetAsync($"/api/v1/users/{id}/sessions", Ct)).JsonAsync(HttpStatusCode.OK)).GetArrayLength());
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{id}/sessions", Ct)).StatusCode);
            Assert.False(await a.IsSignedInAsync());
            Assert.False(await b.IsSignedInAsync());
        }
    }

    [Fact]
    public async Task SignOut_EndsTheSessionRecord()
    {
        var (_, email, _) = await app.UserAsync(["ps-engineer"]);
        using var a = Browser.For(app);
        await a.SignedInAsync(email, AppFactory.Password);
        var sessionId = CurrentRow().Match(await a.HtmlAsync("/account/sessions")).Groups[1].Value;
        (await a.PostAsync("/account/sign-out", "/account/sign-out")).EnsureSuccessStatusCodeOrRedirect();
        await using var db = app.NewDbContext();
        var session = await db.Set<UserSession>().SingleAsync(s => s.Id == Guid.Parse(sessionId), Ct);
        Assert.Equal("signed out", session.EndReason);
        Assert.False(await a.IsSignedInAsync());
    }

    [Fact]
    public async Task OwnPasswordChange_EndsOtherSessions_AndRevokesTokensExceptThoseKept()
    {
        var (id, email, _, a, b) = await TwoSessionsAsync();
        var automation = await app.TokenAsync(email, AppFactory.Password);
        var other = await app.TokenAsync(email, AppFactory.Password);
        using var keptClient = app.WithToken(automation);
        using var revokedClient = app.WithToken(other);
        var kept = (await (await keptClient.GetAsync("/api/v1/auth/tokens", Ct)).JsonAsync(HttpStatusCode.OK))
            .EnumerateArray().Single(t => automation.StartsWith(t.Str("prefix"), StringComparison.Ordinal)).Id();
        const string NewPassword = "a brand new long passphrase";
        using (a)
        using (b)
        {
            var changed = await a.PostAsync("/account/password", "/account/password",
                ("Input.CurrentPassword", AppFactory.Password), ("Input.NewPassword", NewPassword), ("Input.KeepTokens", kept.ToString()));
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

            Assert.True(await a.IsSignedInAsync(), "the session that changed the password goes on");
            Assert.False(await b.IsSignedInAsync(), "the other session ended at once");
            (await keptClient.GetAsync("/api/v1/catalog/offerings", Ct)).EnsureSuccessStatusCode();
            await (await revokedClient.GetAsync("/api/v1/catalog/offerings", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);

            var list = await (await keptClient.GetAsync("/api/v1/auth/tokens", Ct)).JsonAsync(HttpStatusCode.OK);
            var revoked = list.EnumerateArray().Where(t => !t.GetProperty("isActive").GetBoolean()).ToList();
            Assert.NotEmpty(revoked);
            Assert.All(revoked, t => Assert.Equal(UserSessionService.PasswordChanged, t.Str("revokedReason")));
            Assert.Contains("(password changed)", await a.HtmlAsync("/account/tokens"), StringComparison.Ordinal);

            await using var db = app.NewDbContext();
            Assert.Contains(await db.AuditEvents.Where(e => e.EntityId == id.ToString()).Select(e => e.Action).ToListAsync(Ct),
                x => x == "user.password-changed");
            Assert.DoesNotContain(await db.AuditEvents.Select(e => e.Data).ToListAsync(Ct), d => d != null && d.Contains(NewPassword, StringComparison.Ordinal));
        }
        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = NewPassword }, Ct)).StatusCode);
    }

    [Fact]
    public async Task OwnPasswordChange_WithoutTheCurrentPassword_IsRefused()
    {
        var (_, email, _) = await app.UserAsync(["ps-engineer"]);
        using var a = Browser.For(app);
        await a.SignedInAsync(email, AppFactory.Password);
        var refused = await a.PostAsync("/account/password", "/account/password",
            ("Input.CurrentPassword", "not my password at all"), ("Input.NewPassword", "a brand new long passphrase"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Enter your current password", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Created,
            (await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = AppFactory.Password }, Ct)).StatusCode);
    }

    [Fact]
    public async Task AdministratorsPasswordReset_EndsAllSessions_AndRevokesAllTokens()
    {
        var (id, _, token, a, b) = await TwoSessionsAsync();
        using (a)
        using (b)
        {
            var admin = await app.AdminAsync();
            (await admin.PatchAsJsonAsync($"/api/v1/users/{id}", new { password = "reset by the administrator" })).EnsureSuccessStatusCode();

            Assert.False(await a.IsSignedInAsync());
            Assert.False(await b.IsSignedInAsync());
            await (await token.GetAsync("/api/v1/catalog/offerings", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
            await using var db = app.NewDbContext();
            var tokens = await db.ApiTokens.Where(t => t.UserId == id).ToListAsync(Ct);
            Assert.All(tokens, t => Assert.Equal(UserSessionService.PasswordReset, t.RevokedReason));
        }
    }

    [GeneratedRegex("data-session=\"([0-9a-f-]{36})\"")]
    private static partial Regex SessionRow();

    [GeneratedRegex("data-session=\"([0-9a-f-]{36})\">\\s*<td>[^<]*<span class=\"badge badge-ok\">This session")]
    private static partial Regex CurrentRow();
}

internal static class ResponseAssertions
{
    public static void EnsureSuccessStatusCodeOrRedirect(this HttpResponseMessage response) =>
        Assert.True((int)response.StatusCode is >= 200 and < 400, $"Expected success or redirect, got {(int)response.StatusCode}");
}

public sealed class SqliteSessionTests(SqliteApp app) : SessionTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresSessionTests(PostgresApp app) : SessionTests<PostgresApp>(app), IClassFixture<PostgresApp>;

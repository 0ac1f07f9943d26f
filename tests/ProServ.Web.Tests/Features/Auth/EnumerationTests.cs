using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Auth;

/// Issue 15 §2: sign-in must not tell an existing account from an unknown one, and lockout must not be a weapon.
public sealed partial class EnumerationTests(AuthApp app) : IClassFixture<AuthApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> LockedOutUserAsync()
    {
        var (_, email, _) = await app.UserAsync(["account-executive"]);
        using var anonymous = app.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = "wrong password " + i, name = "x" }, Ct);
        }
        return email;
    }

    private async Task<(HttpStatusCode Status, string Body)> TokenAnswerAsync(string email, string password)
    {
        using var anonymous = app.Anonymous();
        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password, name = "x" }, Ct);
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await response.Content.ReadAsStringAsync(Ct))!;
        json.Remove("traceId");
        return (response.StatusCode, JsonSerializer.Serialize(json.OrderBy(kv => kv.Key, StringComparer.Ordinal)));
    }

    [Fact]
    public async Task TokenEndpoint_LockedExistingAndUnknownEmail_AnswerTheSame()
    {
        var locked = await LockedOutUserAsync();
        var unknown = $"nobody-{Guid.NewGuid():n}@proserv.test";

        var forLocked = await TokenAnswerAsync(locked, "wrong password again");
        var forLockedRightPassword = await TokenAnswerAsync(locked, AppFactory.Password);
        var forUnknown = await TokenAnswerAsync(unknown, "wrong password again");
        Assert.Equal(HttpStatusCode.Unauthorized, forUnknown.Status);
        Assert.Equal(forUnknown, forLocked);
        Assert.Equal(forUnknown, forLockedRightPassword);

        // Before any lockout too: a wrong password for a real account reads like an unknown account.
        var (_, fresh, _) = await app.UserAsync(["ps-engineer"]);
        Assert.Equal(forUnknown, await TokenAnswerAsync(fresh, "wrong password again"));
    }

    [Fact]
    public async Task TokenEndpoint_UnknownOrLockedEmail_StillVerifiesAPasswordHash()
    {
        var locked = await LockedOutUserAsync();
        foreach (var email in new[] { $"nobody-{Guid.NewGuid():n}@proserv.test", locked })
        {
            var before = app.Hashes.Verifications;
            await TokenAnswerAsync(email, "some password here");
            Assert.Equal(before + 1, app.Hashes.Verifications);
        }
    }

    [Fact]
    public async Task SignInPage_LockedExistingAndUnknownEmail_AnswerTheSame()
    {
        var locked = await LockedOutUserAsync();
        var answers = new List<(HttpStatusCode, string)>();
        foreach (var (email, password) in new[]
                 {
                     (locked, AppFactory.Password), (locked, "wrong password x"), ($"nobody-{Guid.NewGuid():n}@proserv.test", "wrong password x"),
                 })
        {
            using var browser = Browser.For(app);
            var before = app.Hashes.Verifications;
            var response = await browser.SignInAsync(email, password);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(before + 1, app.Hashes.Verifications);
            answers.Add((response.StatusCode, ErrorSummary().Match(html).Value));
        }
        Assert.Equal(HttpStatusCode.OK, answers[0].Item1);
        Assert.Contains("password is wrong", answers[0].Item2, StringComparison.Ordinal);
        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }

    [Fact]
    public async Task Lockout_DoesNotDisableTheUsersApiTokens()
    {
        var (_, email, client) = await app.UserAsync(["ps-engineer"]);
        using var anonymous = app.Anonymous();
        for (var i = 0; i < 6; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = "wrong password " + i, name = "x" }, Ct);
        }
        var me = await (await client.GetAsync("/api/v1/me", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.True(me.GetProperty("isLockedOut").GetBoolean(), "password sign-in is locked");
        (await client.GetAsync("/api/v1/catalog/offerings", Ct)).EnsureSuccessStatusCode();
    }

    [GeneratedRegex("<div class=\"alert alert-error\".*?</div>", RegexOptions.Singleline)]
    private static partial Regex ErrorSummary();
}

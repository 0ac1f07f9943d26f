using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using ProServ.Tests.Auth;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Auth;

/// TOTP with recovery codes through the real pages and the token endpoint, with codes computed from the key shown.
public sealed partial class MfaTests(MfaApp app) : IClassFixture<MfaApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Key(string html) => KeyField().Match(html).Groups[1].Value;

    /// Enrols through /account/mfa and answers the key and the recovery codes shown.
    private static async Task<(string Key, List<string> RecoveryCodes)> EnrolAsync(Browser browser, string password)
    {
        var page = await browser.HtmlAsync("/account/mfa");
        var key = Key(page);
        Assert.False(string.IsNullOrEmpty(key), "the enrolment page shows the key");
        Assert.Contains($"otpauth://totp/ProServ:", page, StringComparison.Ordinal);
        Assert.Contains($"secret={key}", page, StringComparison.Ordinal);
        var enrolled = await browser.PostAsync("/account/mfa", "/account/mfa?handler=Enable",
            ("Input.Code", Totp.Code(key)), ("Input.CurrentPassword", password));
        var html = await enrolled.Content.ReadAsStringAsync(Ct);
        Assert.True(enrolled.StatusCode == HttpStatusCode.OK && html.Contains("recovery-codes", StringComparison.Ordinal), html);
        var codes = RecoveryCode().Matches(html[html.IndexOf("recovery-codes", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        return (key, codes);
    }

    [Fact]
    public async Task RequiredRole_WithoutMfa_IsSentToEnrolment_AndCanDoNothingElseUntilEnrolled()
    {
        var (_, email, _) = await CreateAsync("director-customer-success");
        using var browser = Browser.For(app);
        var signIn = await browser.SignInAsync(email, AppFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        foreach (var url in new[] { "/", "/customers", "/account/tokens", "/engagements" })
        {
            Assert.Equal("/account/mfa", await browser.RedirectOfAsync(url));
        }
        var tokenPost = await browser.Client.PostAsJsonAsync("/account/tokens?handler=Create", new { }, Ct);
        Assert.Equal("/account/mfa", tokenPost.Headers.Location?.ToString());
        Assert.Contains("id=\"mfa-required\"", await browser.HtmlAsync("/account/mfa"), StringComparison.Ordinal);

        // The API answers a password alone with the rule, not a token.
        using var anonymous = app.Anonymous();
        var refused = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = AppFactory.Password }, Ct);
        Assert.Equal("mfa-enrolment-required", (await refused.ProblemAsync(HttpStatusCode.Forbidden)).Str("rule"));

        await EnrolAsync(browser, AppFactory.Password);
        Assert.True(await browser.IsSignedInAsync(), "after enrolment the pages open");
    }

    [Fact]
    public async Task Enrolment_WithAWrongCodeOrPassword_IsRefused()
    {
        var (_, email, _) = await CreateAsync("ps-engineer");
        using var browser = Browser.For(app);
        await browser.SignedInAsync(email, AppFactory.Password);
        var key = Key(await browser.HtmlAsync("/account/mfa"));
        var wrongPassword = await browser.PostAsync("/account/mfa", "/account/mfa?handler=Enable",
            ("Input.Code", Totp.Code(key)), ("Input.CurrentPassword", "not my password at all"));
        Assert.Contains("Enter your current password", await wrongPassword.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var wrongCode = await browser.PostAsync("/account/mfa", "/account/mfa?handler=Enable",
            ("Input.Code", WrongCode(key)), ("Input.CurrentPassword", AppFactory.Password));
        Assert.Contains("The code does not match", await wrongCode.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await using var db = app.NewDbContext();
        Assert.False((await db.Users.SingleAsync(u => u.Email == email, Ct)).TwoFactorEnabled);
    }

    [Fact]
    public async Task SignIn_WithMfa_AsksForTheCode_AndAcceptsARecoveryCodeOnce()
    {
        var (_, email, _) = await CreateAsync("ps-engineer");
        List<string> recovery;
        string key;
        using (var first = Browser.For(app))
        {
            await first.SignedInAsync(email, AppFactory.Password);
            (key, recovery) = await EnrolAsync(first, AppFactory.Password);
        }

        using var browser = Browser.For(app);
        var afterPassword = await browser.SignInAsync(email, AppFactory.Password);
        Assert.StartsWith("/account/sign-in/code", afterPassword.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.False(await browser.IsSignedInAsync(), "a password alone does not sign in");
        var wrong = await browser.PostAsync("/account/sign-in/code", "/account/sign-in/code", ("Code", WrongCode(key)));
        Assert.Contains("The code is wrong", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var right = await browser.PostAsync("/account/sign-in/code", "/account/sign-in/code", ("Code", Totp.Code(key)));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.True(await browser.IsSignedInAsync());

        foreach (var attempt in new[] { true, false })
        {
            using var other = Browser.For(app);
            await other.SignInAsync(email, AppFactory.Password);
            var response = await other.PostAsync("/account/sign-in/code", "/account/sign-in/code", ("Code", recovery[0]));
            Assert.Equal(attempt, response.StatusCode == HttpStatusCode.Redirect);
            Assert.Equal(attempt, await other.IsSignedInAsync());
        }
    }

    [Fact]
    public async Task TokenEndpoint_ForAnMfaUser_RequiresTheCode()
    {
        var (_, email, _) = await CreateAsync("ps-engineer");
        string key;
        using (var browser = Browser.For(app))
        {
            await browser.SignedInAsync(email, AppFactory.Password);
            (key, _) = await EnrolAsync(browser, AppFactory.Password);
        }
        using var anonymous = app.Anonymous();
        var noCode = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = AppFactory.Password }, Ct);
        Assert.Equal("Two-factor code required", (await noCode.ProblemAsync(HttpStatusCode.Unauthorized)).Str("title"));
        var wrongCode = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = AppFactory.Password, code = WrongCode(key) }, Ct);
        await wrongCode.ProblemAsync(HttpStatusCode.Unauthorized);
        var withCode = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = AppFactory.Password, code = Totp.Code(key) }, Ct);
        Assert.Equal(HttpStatusCode.Created, withCode.StatusCode);
    }

    [Fact]
    public async Task Disable_AsksForThePassword_AndIsRefusedForARequiredRole()
    {
        var (_, email, _) = await CreateAsync("ps-engineer");
        using var browser = Browser.For(app);
        await browser.SignedInAsync(email, AppFactory.Password);
        await EnrolAsync(browser, AppFactory.Password);
        var noPassword = await browser.PostAsync("/account/mfa", "/account/mfa?handler=Disable", ("Input.CurrentPassword", ""));
        Assert.Equal(HttpStatusCode.OK, noPassword.StatusCode);
        var off = await browser.PostAsync("/account/mfa", "/account/mfa?handler=Disable", ("Input.CurrentPassword", AppFactory.Password));
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        using var anonymous = app.Anonymous();
        Assert.Equal(HttpStatusCode.Created,
            (await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = AppFactory.Password }, Ct)).StatusCode);

        var (_, director, _) = await CreateAsync("director-customer-success");
        using var d = Browser.For(app);
        await d.SignInAsync(director, AppFactory.Password);
        await EnrolAsync(d, AppFactory.Password);
        var html = await d.HtmlAsync("/account/mfa");
        Assert.DoesNotContain("handler=Disable", html, StringComparison.Ordinal);
        var refused = await d.PostAsync("/account/mfa", "/account/mfa?handler=Disable", ("Input.CurrentPassword", AppFactory.Password));
        Assert.Contains("mfa-required-for-role", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        await using var db = app.NewDbContext();
        var audit = await db.AuditEvents.Where(e => e.Action.StartsWith("user.mfa")).Select(e => e.Data).ToListAsync(Ct);
        Assert.NotEmpty(audit);
    }

    private async Task<(Guid Id, string Email, HttpClient? Client)> CreateAsync(string role)
    {
        var admin = await app.AdminAsync();
        var email = $"{role}-{Guid.NewGuid():n}@proserv.test";
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email, password = AppFactory.Password, name = "Test " + role, roles = new[] { role } }, Ct);
        var user = await response.JsonAsync(HttpStatusCode.Created);
        return (user.Id(), email, null);
    }

    /// A code of the right shape that is not valid around now.
    private static string WrongCode(string key)
    {
        var now = TimeProvider.System.GetUtcNow();
        var valid = Enumerable.Range(-3, 7).Select(i => Totp.Code(key, now.AddSeconds(30 * i))).ToHashSet(StringComparer.Ordinal);
        return Enumerable.Range(0, 1000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
    }

    [GeneratedRegex("id=\"authenticator-key\">([A-Z2-7]+)<")]
    private static partial Regex KeyField();

    [GeneratedRegex("<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();
}

/// A fresh install (no Auth:MfaRequiredRoles) requires MFA of administrators and directors.
public sealed class DefaultMfaTests(DefaultMfaApp app) : IClassFixture<DefaultMfaApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ByDefault_AnAdministratorMustEnrolBeforeGettingAToken_OrUsingThePages()
    {
        using var anonymous = app.Anonymous();
        var refused = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email = AppFactory.AdminEmail, password = AppFactory.AdminPassword }, Ct);
        Assert.Equal("mfa-enrolment-required", (await refused.ProblemAsync(HttpStatusCode.Forbidden)).Str("rule"));
        using var browser = Browser.For(app);
        await browser.SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        Assert.Equal("/account/mfa", await browser.RedirectOfAsync("/admin/users"));
        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Microsoft.Extensions.Options.IOptions<ProServ.Core.Features.Users.MfaOptions>>(app.Services).Value;
        Assert.True(options.IsRequiredFor(["director-customer-success"]));
        Assert.False(options.IsRequiredFor(["ps-engineer"]));
    }
}

using System.Net;
using System.Text.RegularExpressions;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Pages;

/// Pages: authentication required, antiforgery on forms, hardened cookies.
public sealed partial class UiSecurityTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/customers")]
    [InlineData("/catalog")]
    [InlineData("/engagements")]
    [InlineData("/admin/users")]
    [InlineData("/api/reference")]
    [InlineData("/sow")]
    [InlineData("/sow/requests/new")]
    [InlineData("/sow/template")]
    [InlineData("/sow/templates")]
    [InlineData("/sow/approvals")]
    [InlineData("/sow/bookings")]
    [InlineData("/sow/engagements/00000000-0000-0000-0000-000000000001")]
    [InlineData("/engagements/00000000-0000-0000-0000-000000000001")]
    [InlineData("/engagements/00000000-0000-0000-0000-000000000001/sow")]
    public async Task Pages_RequireSignIn(string url)
    {
        using var client = app.Anonymous();
        var response = await client.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/sign-in", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/account/sign-in")]
    [InlineData("/healthz")]
    [InlineData("/openapi/v1.json")]
    public async Task SignInHealthAndOpenApi_AreAnonymous(string url)
    {
        using var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url, Ct)).StatusCode);
    }

    [Fact]
    public async Task SignInForm_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = app.Anonymous();
        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = AppFactory.AdminEmail,
            ["Input.Password"] = AppFactory.AdminPassword,
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], v => v.StartsWith("proserv.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_WithToken_SetsASecureHttpOnlySameSiteCookie()
    {
        using var client = app.Anonymous();
        var form = await client.GetAsync("/account/sign-in", Ct);
        var html = await form.Content.ReadAsStringAsync(Ct);
        var token = AntiforgeryField().Match(html).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), "the sign-in form carries an antiforgery token");
        var antiforgeryCookie = form.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith("proserv.af=", StringComparison.Ordinal));
        Assert.Contains("secure", antiforgeryCookie, StringComparison.OrdinalIgnoreCase);

        var request = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = AppFactory.AdminEmail,
                ["Input.Password"] = AppFactory.AdminPassword,
                ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie.Split(';')[0]);
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = response.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith("proserv.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("secure", auth, StringComparison.Ordinal);
        Assert.Contains("httponly", auth, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", auth, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_CarryHardeningHeaders()
    {
        using var client = app.Anonymous();
        var response = await client.GetAsync("/account/sign-in", Ct);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

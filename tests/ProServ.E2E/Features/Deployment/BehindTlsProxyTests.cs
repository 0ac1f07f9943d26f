using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ProServ.E2E.Infrastructure;

namespace ProServ.E2E.Features.Deployment;

/// <summary>
/// The set-up the README describes: the app in Production on plain HTTP, behind nginx terminating TLS. The app must
/// take the browser's scheme from X-Forwarded-Proto (antiforgery and the Secure cookies refuse plain HTTP).
/// </summary>
public sealed partial class BehindTlsProxyTests(ProServAppFixture fixture) : IAsyncLifetime
{
    private string _dir = null!;
    private AppFactory _app = null!;
    private ReverseProxy _proxy = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _dir = Directory.CreateTempSubdirectory("proserv-prod-").FullName;
        _app = new AppFactory(new Dictionary<string, string>
        {
            ["Database:Provider"] = "sqlite",
            ["ConnectionStrings:Default"] = $"Data Source={Path.Combine(_dir, "proserv.db")}",
            ["Storage:DataDirectory"] = Path.Combine(_dir, "files"),
            ["Admin:Email"] = ProServAppFixture.AdminEmail,
            ["Admin:Password"] = ProServAppFixture.AdminPassword,
            // Enrolment in MFA has its own browser test (Features/Account); here it would stand between sign-in and the page.
            ["Auth:MfaRequiredRoles"] = "",
        }, environment: "Production");
        var upstream = _app.Start();
        _proxy = await ReverseProxy.StartAsync(upstream, ct);
        // A real host name: browsers and the HSTS middleware treat localhost specially.
        _browser = await fixture.LaunchChromiumAsync($"--host-resolver-rules=MAP {ReverseProxy.HostName} 127.0.0.1");
    }

    [Fact]
    public async Task SignIn_InProductionBehindNginx_ReachesTheHomePage_WithSecureCookiesAndHsts()
    {
        var page = await fixture.NewPageAsync(_browser, new BrowserNewContextOptions
        {
            BaseURL = _proxy.BaseUrl.ToString(),
            IgnoreHTTPSErrors = true,
        });

        var signIn = await page.GotoAsync("account/sign-in");
        Assert.NotNull(signIn);
        Assert.Equal(200, signIn.Status);
        var headers = await signIn.AllHeadersAsync();
        Assert.Equal("max-age=31536000", headers["strict-transport-security"]);
        Assert.Matches(StrictScripts(), headers["content-security-policy"]);
        Assert.Contains("camera=()", headers["permissions-policy"], StringComparison.Ordinal);

        await page.GetByLabel("E-mail address").FillAsync(ProServAppFixture.AdminEmail);
        await page.GetByLabel("Password").FillAsync(ProServAppFixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(_proxy.BaseUrl.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        var cookies = await page.Context.CookiesAsync();
        Assert.Contains(cookies, c => c.Name == "proserv.auth");
        Assert.Contains(cookies, c => c.Name == "proserv.af");
        Assert.All(cookies, c => Assert.True(c.Secure, $"cookie {c.Name} is not Secure"));
    }

    // script-src: only our origin and this response's nonce; no 'unsafe-inline', 'unsafe-eval' or wildcard.
    [GeneratedRegex(@"(^|;\s*)script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'(;|$)")]
    private static partial Regex StrictScripts();

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp dir; must not fail the test.
        }
    }
}

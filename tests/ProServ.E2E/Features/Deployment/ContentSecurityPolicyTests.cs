using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ProServ.E2E.Infrastructure;

namespace ProServ.E2E.Features.Deployment;

/// <summary>
/// The Content-Security-Policy blocks script and style the app did not write, and every page the app has works under
/// it (any violation on any page of any browser test fails that test, see <see cref="CspViolations"/>; the API
/// reference, whose scripts carry the nonce, is rendered under it by CustomerTests).
/// </summary>
public sealed partial class ContentSecurityPolicyTests(ProServAppFixture app)
{
    private async Task<IPage> SignInAsAdministratorAsync()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("account/sign-in");
        await page.GetByLabel("E-mail address").FillAsync(ProServAppFixture.AdminEmail);
        await page.GetByLabel("Password").FillAsync(ProServAppFixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(SignInUrl());
        return page;
    }

    [Fact]
    public async Task InjectedInlineScriptAndStyle_AreBlocked_AndReported()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("account/sign-in");

        // As markup that slipped past encoding would: an inline script and a style element without the nonce.
        var ran = await page.EvaluateAsync<bool>("""
            () => {
              const s = document.createElement('script');
              s.textContent = 'window.__injected = true;';
              document.head.appendChild(s);
              const st = document.createElement('style');
              st.textContent = 'body { display: none; }';
              document.head.appendChild(st);
              return window.__injected === true;
            }
            """);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();

        Assert.False(ran);
        var violations = CspViolations.Take();
        Assert.Contains(violations, v => v.StartsWith("script-src-elem blocked inline", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("style-src-elem blocked inline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachResponse_HasItsOwnNonce()
    {
        var page = await app.NewPageAsync();
        var first = await page.GotoAsync("account/sign-in");
        var second = await page.GotoAsync("account/sign-in");

        var nonces = new[] { first!, second! }
            .Select(r => Nonce().Match(r.Headers["content-security-policy"]).Groups[1].Value)
            .ToList();
        Assert.All(nonces, n => Assert.NotEmpty(n));
        Assert.NotEqual(nonces[0], nonces[1]);
    }

    [Fact]
    public async Task EveryPageOfTheMenu_RendersWithoutViolations()
    {
        var page = await SignInAsAdministratorAsync();
        var links = await page.Locator("nav[aria-label=Main] a").EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
        Assert.NotEmpty(links);
        foreach (var href in links.Append("/account/tokens").Where(h => h != "/api/reference"))
        {
            var response = await page.GotoAsync(href.TrimStart('/'));
            Assert.Equal(200, response!.Status);
            await Assertions.Expect(page.Locator("main h1").First).ToBeVisibleAsync();
        }
    }

    [GeneratedRegex("script-src 'self' 'nonce-([^']+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex("/account/sign-in")]
    private static partial Regex SignInUrl();
}

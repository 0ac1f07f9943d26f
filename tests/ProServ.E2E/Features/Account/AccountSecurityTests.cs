using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProServ.Core.Common;
using ProServ.Core.Features.Users;
using ProServ.E2E.Infrastructure;
using ProServ.Tests.Auth;

namespace ProServ.E2E.Features.Account;

/// Two-factor enrolment and sign-in, and ending sessions, in the real browser (issue 15 §2).
public sealed class AccountSecurityTests(ProServAppFixture app)
{
    private const string Password = "account passphrase 123";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> NewUserAsync()
    {
        var email = $"mfa-{Guid.NewGuid():n}@proserv.test";
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(Actor.System,
            new UserInput(email, Password, "MFA person", [Role.PsEngineer], null), Ct);
        return email;
    }

    private static async Task SubmitPasswordAsync(IPage page, string email)
    {
        await page.GotoAsync("account/sign-in");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task EnrolAuthenticator_ThenSignInAsksForTheCode_AndEndingOtherSessionsSignsThemOut()
    {
        var email = await NewUserAsync();
        var first = await app.NewPageAsync();
        await SubmitPasswordAsync(first, email);
        await first.WaitForURLAsync(url => !url.Contains("sign-in", StringComparison.Ordinal));

        await first.GotoAsync("account/mfa");
        await Assertions.Expect(first.Locator("#otpauth-uri")).ToContainTextAsync("otpauth://totp/ProServ:");
        var key = (await first.Locator("#authenticator-key").TextContentAsync())!.Trim();
        await first.GetByLabel("Code from the app").FillAsync(Totp.Code(key));
        await first.GetByLabel("Current password").FillAsync(Password);
        await first.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor authentication" }).ClickAsync();
        await Assertions.Expect(first.Locator("#recovery-codes li")).ToHaveCountAsync(MfaService.RecoveryCodeCount);
        await Assertions.Expect(first.Locator("#mfa-on")).ToBeVisibleAsync();

        var second = await app.NewPageAsync();
        await SubmitPasswordAsync(second, email);
        await second.WaitForURLAsync(url => url.Contains("/account/sign-in/code", StringComparison.Ordinal));
        await second.GetByLabel("Code", new() { Exact = true }).FillAsync(Totp.Code(key));
        await second.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await second.WaitForURLAsync(url => !url.Contains("sign-in", StringComparison.Ordinal));

        await first.GotoAsync("account/sessions");
        await Assertions.Expect(first.Locator("#sessions tbody tr")).ToHaveCountAsync(2);
        await first.GetByRole(AriaRole.Button, new() { Name = "End all other sessions" }).ClickAsync();
        await Assertions.Expect(first.Locator("#sessions tbody tr")).ToHaveCountAsync(1);

        await second.GotoAsync("account/sessions");
        await second.WaitForURLAsync(url => url.Contains("/account/sign-in", StringComparison.Ordinal));
    }
}

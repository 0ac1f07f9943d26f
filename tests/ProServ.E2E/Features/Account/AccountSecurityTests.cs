using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProServ.Core.Common;
using ProServ.Core.Features.Users;
using ProServ.E2E.Infrastructure;

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

/// RFC 6238 from the Base32 key the enrolment page shows, as an authenticator app computes it.
internal static class Totp
{
    public static string Code(string base32Key)
    {
        var counter = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() / 30;
        Span<byte> message = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(message, counter);
        var hash = HMACSHA1.HashData(Base32(base32Key), message);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string key)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in key.Trim().ToUpperInvariant())
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
                buffer &= (1 << bits) - 1;
            }
        }
        return [.. bytes];
    }
}

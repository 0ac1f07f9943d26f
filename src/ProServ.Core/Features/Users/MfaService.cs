using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ProServ.Core.Common;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Users;

/// Which roles must use a second factor. ASVS level 2 asks it of the people who can change the most.
public sealed class MfaOptions
{
    public static readonly IReadOnlyList<string> DefaultRequiredRoles = [Role.Administrator, Role.DirectorCustomerSuccess];

    public IReadOnlyList<string> RequiredRoles { get; set; } = DefaultRequiredRoles;

    public bool IsRequiredFor(IEnumerable<string> roles) => roles.Any(r => RequiredRoles.Contains(r, StringComparer.Ordinal));
}

/// What a person needs to add an authenticator app: the shared key and the otpauth:// URI it is encoded in.
public sealed record AuthenticatorSetup(string Key, string Uri, bool Enabled, int RecoveryCodesLeft);

/// Time-based one-time passwords (RFC 6238) through Identity's authenticator support, with recovery codes.
/// Enabling, disabling and new recovery codes all ask for the password again (ASVS 3.7.1).
public sealed class MfaService(UserManager<ProServUser> users, AccountService account, AuditWriter audit,
    IOptions<MfaOptions> options, Data.ProServDbContext db)
{
    public const string Issuer = "ProServ";
    public const int RecoveryCodeCount = 10;

    public MfaOptions Options => options.Value;

    public async Task<AuthenticatorSetup> SetupAsync(Actor actor, CancellationToken ct)
    {
        var user = await account.SelfAsync(actor, ct);
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        }
        var label = Uri.EscapeDataString(Issuer) + ":" + Uri.EscapeDataString(user.Email ?? user.Id.ToString());
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{label}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30");
        return new AuthenticatorSetup(key, uri, user.TwoFactorEnabled, await users.CountRecoveryCodesAsync(user));
    }

    /// Turns MFA on once the person proves the app works; answers the recovery codes, shown once.
    public async Task<IReadOnlyList<string>> EnableAsync(Actor actor, string? password, string? code, CancellationToken ct)
    {
        var user = await account.ReauthenticateAsync(actor, password, ct);
        var token = Normalise(code);
        if (token.Length == 0 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, token))
        {
            throw new ValidationFailedException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["code"] = ["The code does not match: enter the 6 digits your authenticator app shows now."],
            });
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        audit.Record(actor, "user", user.Id, "user.mfa-enabled", null, new { method = "totp" }, user.CustomerId);
        await db.SaveChangesAsync(ct);
        return codes;
    }

    public async Task DisableAsync(Actor actor, string? password, CancellationToken ct)
    {
        var user = await account.ReauthenticateAsync(actor, password, ct);
        if (Options.IsRequiredFor(actor.Roles))
        {
            throw new RuleViolationException("mfa-required-for-role",
                "Your role must use two-factor authentication; you can replace your authenticator app but not turn it off.");
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        // A new key makes the old app's codes worthless should MFA be turned on again.
        await users.ResetAuthenticatorKeyAsync(user);
        audit.Record(actor, "user", user.Id, "user.mfa-disabled", null, null, user.CustomerId);
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(Actor actor, string? password, CancellationToken ct)
    {
        var user = await account.ReauthenticateAsync(actor, password, ct);
        if (!user.TwoFactorEnabled) throw new RuleViolationException("mfa-not-enabled", "Turn on two-factor authentication first.");
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        audit.Record(actor, "user", user.Id, "user.mfa-recovery-codes-renewed", null, null, user.CustomerId);
        await db.SaveChangesAsync(ct);
        return codes;
    }

    /// Checks a code from the authenticator app of a user who has MFA on (the password→token exchange uses it).
    public async Task<bool> VerifyAsync(ProServUser user, string? code)
    {
        var token = Normalise(code);
        return token.Length > 0 && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, token);
    }

    private static string Normalise(string? code) => (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Trim();
}

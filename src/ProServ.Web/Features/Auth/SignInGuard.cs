using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;

namespace ProServ.Web.Features.Auth;

/// Per-account attempt limit, and the dummy hash that makes an unknown e-mail cost as much as a known one.
public sealed class SignInGuard(SignInLimits limits) : IDisposable
{
    private static readonly ProServUser Nobody = new() { Id = Guid.Empty, UserName = "nobody", Email = "nobody" };
    private readonly PartitionedRateLimiter<string> _accounts = PartitionedRateLimiter.Create<string, string>(account =>
        RateLimitPartition.GetFixedWindowLimiter(account,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PerAccountPerWindow, Window = limits.Window, QueueLimit = 0 }));
    private string? _dummyHash;

    /// Counts an attempt on the account named in the request, whether it exists or not (so the limit reveals nothing).
    public bool TryAttempt(string email, out TimeSpan retryAfter)
    {
        using var lease = _accounts.AttemptAcquire(email.Trim().ToUpperInvariant());
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var r) ? r : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    /// Verifies the password against a hash made by the same hasher, so the answer takes as long as for a real account.
    public void HashAgainstDummy(IPasswordHasher<ProServUser> hasher, string password)
    {
        _dummyHash ??= hasher.HashPassword(Nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        hasher.VerifyHashedPassword(Nobody, _dummyHash, password);
    }

    public void Dispose() => _accounts.Dispose();
}

/// The one way in by password, for the sign-in page and the token endpoint alike: an unknown, deactivated
/// or locked-out account gets the same answer as a wrong password, after the same amount of hashing.
public sealed class PasswordCheck(UserManager<ProServUser> users, SignInGuard guard)
{
    public const string Refused = "The e-mail address or password is wrong, or the account is locked for a while after repeated failures.";

    /// The account that may try this password, or null (already answered with a dummy hash) when none may.
    public async Task<ProServUser?> CandidateAsync(string email, string password)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || !user.IsActive || await users.IsLockedOutAsync(user) || PasswordPolicy.TooLong(password) is not null)
        {
            guard.HashAgainstDummy(users.PasswordHasher, password.Length > PasswordPolicy.MaximumLength ? password[..PasswordPolicy.MaximumLength] : password);
            return null;
        }
        return user;
    }
}

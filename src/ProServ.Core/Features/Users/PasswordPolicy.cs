using Microsoft.AspNetCore.Identity;

namespace ProServ.Core.Features.Users;

/// OWASP ASVS level 2: at least 12 characters, no composition rules, lockout after repeated failures.
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public static void Configure(IdentityOptions o)
    {
        o.Password.RequiredLength = MinimumLength;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequiredUniqueChars = 1;
        o.Lockout.AllowedForNewUsers = true;
        o.Lockout.MaxFailedAccessAttempts = MaxFailedAttempts;
        o.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
        o.User.RequireUniqueEmail = true;
        o.User.AllowedUserNameCharacters = "";
        o.SignIn.RequireConfirmedAccount = false;
    }

    /// ASVS 2.1.2 allows long passphrases; we cap them so hashing stays bounded.
    public static string? TooLong(string password) =>
        password.Length > MaximumLength ? $"Passwords are at most {MaximumLength} characters." : null;
}

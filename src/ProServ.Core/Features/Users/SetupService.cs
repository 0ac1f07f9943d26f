using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;

namespace ProServ.Core.Features.Users;

/// First start: there is no default password. Either the first administrator comes from configuration,
/// or a one-time set-up link is issued and printed on the console.
public sealed class SetupService(ProServDbContext db, UserService users, RoleManager<ProServRole> roles, TimeProvider clock)
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    public async Task EnsureRolesAsync(CancellationToken ct)
    {
        foreach (var role in Role.All)
        {
            if (!await db.Roles.AnyAsync(r => r.Name == role, ct))
            {
                await roles.CreateAsync(new ProServRole(role));
            }
        }
    }

    public Task<bool> HasAdministratorAsync(CancellationToken ct) =>
        db.UserRoles.AnyAsync(ur => db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Role.Administrator), ct);

    /// Creates the first administrator from configured credentials when there is none yet.
    public async Task<bool> EnsureAdministratorAsync(string email, string password, CancellationToken ct)
    {
        if (await HasAdministratorAsync(ct)) return false;
        await users.CreateAsync(Actor.System, new UserInput(email, password, "Administrator", [Role.Administrator], null), ct);
        return true;
    }

    /// Issues a new one-time set-up secret (any earlier unused one stops working). Only the hash is stored.
    public async Task<string> IssueSetupTokenAsync(CancellationToken ct)
    {
        await db.SetupTokens.Where(t => t.UsedAt == null).ExecuteDeleteAsync(ct);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var now = clock.GetUtcNow();
        db.SetupTokens.Add(new SetupToken { Id = Guid.NewGuid(), Hash = SecretHash.Of(secret), CreatedAt = now, ExpiresAt = now + LinkLifetime });
        await db.SaveChangesAsync(ct);
        return secret;
    }

    public async Task<bool> IsValidSetupTokenAsync(string? secret, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(secret) || await HasAdministratorAsync(ct)) return false;
        var hash = SecretHash.Of(secret);
        var now = clock.GetUtcNow();
        return await db.SetupTokens.AnyAsync(t => t.Hash == hash && t.UsedAt == null && t.ExpiresAt > now, ct);
    }

    /// Uses the one-time link to create the first administrator.
    public async Task<UserDto> CompleteAsync(string? secret, string? email, string? name, string? password, CancellationToken ct)
    {
        if (!await IsValidSetupTokenAsync(secret, ct))
        {
            throw new RuleViolationException("setup-link-invalid",
                "This set-up link is unknown, used or expired, or an administrator already exists; restart the app to print a new link.", 403);
        }
        var hash = SecretHash.Of(secret!);
        var token = await db.SetupTokens.FirstAsync(t => t.Hash == hash, ct);
        var admin = await users.CreateAsync(Actor.System, new UserInput(email, password, name, [Role.Administrator], null), ct);
        token.UsedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return admin;
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Users;

/// What a person does to their own account. Each change of a credential asks for the current password again.
public sealed class AccountService(ProServDbContext db, UserManager<ProServUser> users, UserService userService,
    UserSessionService sessions, AuditWriter audit)
{
    public async Task<ProServUser> SelfAsync(Actor actor, CancellationToken ct)
    {
        var id = actor.UserId ?? throw new ForbiddenException("Only a person has an account.");
        return await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.IsActive, ct) ?? throw new NotFoundException("User");
    }

    /// The signed-in person proves again that they know the password before a sensitive change.
    public async Task<ProServUser> ReauthenticateAsync(Actor actor, string? password, CancellationToken ct)
    {
        var user = await SelfAsync(actor, ct);
        if (string.IsNullOrEmpty(password) || PasswordPolicy.TooLong(password) is not null || !await users.CheckPasswordAsync(user, password))
        {
            throw new ValidationFailedException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["currentPassword"] = ["Enter your current password to confirm this change."],
            });
        }
        return user;
    }

    /// Changes the person's own password. Their other sessions end and their API tokens are revoked,
    /// except the tokens they chose to keep (automation that should survive a routine change).
    public async Task ChangePasswordAsync(Actor actor, string? currentPassword, string? newPassword,
        IReadOnlyCollection<Guid> keepTokens, Guid? currentSession, CancellationToken ct)
    {
        var user = await ReauthenticateAsync(actor, currentPassword, ct);
        var errors = new ValidationErrors();
        await userService.ValidatePasswordAsync(errors, newPassword, ct, "newPassword");
        if (!errors.Any && string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            errors.Add("newPassword", "Choose a password different from the current one.");
        }
        errors.ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await users.ChangePasswordAsync(user, currentPassword!, newPassword!);
        if (!result.Succeeded)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["newPassword"] = result.Errors.Select(e => e.Description).ToArray(),
            });
        }
        await sessions.EndCredentials(actor, user.Id, UserSessionService.PasswordChanged, currentSession, keepTokens, ct);
        audit.Record(actor, "user", user.Id, "user.password-changed", null, new { tokensKept = keepTokens.Count }, user.CustomerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Users;

public sealed record UserDto(Guid Id, string Email, string Name, IReadOnlyList<string> Roles, Guid? CustomerId,
    string? CustomerName, bool IsActive, bool IsLockedOut, DateTimeOffset CreatedAt);

public sealed record UserInput(string? Email, string? Password, string? Name, IReadOnlyList<string>? Roles, Guid? CustomerId);

public sealed record UserPatch(string? Name = null, IReadOnlyList<string>? Roles = null, Guid? CustomerId = null,
    bool? IsActive = null, string? Password = null, bool Unlock = false);

public sealed class UserService(ProServDbContext db, UserManager<ProServUser> users, AuditWriter audit, TimeProvider clock,
    ICustomerDirectory customers, UserSessionService sessions)
{
    public async Task<Paged<UserDto>> ListAsync(string? search, string? role, PageRequest page, CancellationToken ct)
    {
        var q = db.Users.AsNoTracking().AsQueryable();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToLowerInvariant();
            q = q.Where(u => u.Name.ToLower().Contains(s) || u.Email!.ToLower().Contains(s));
        }
        if (!string.IsNullOrWhiteSpace(role))
        {
            q = q.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
        }
        var p = page.Normalised();
        var total = await q.CountAsync(ct);
        var list = await q.OrderBy(u => u.Name).ThenBy(u => u.Id).Skip(p.Skip).Take(p.PerPage).ToListAsync(ct);
        var roles = await RolesOfAsync(list.Select(u => u.Id).ToList(), ct);
        var names = await customers.NamesAsync(list.Where(u => u.CustomerId is not null).Select(u => u.CustomerId!.Value).ToHashSet(), ct);
        return new Paged<UserDto>(list.Select(u => ToDto(u, roles.GetValueOrDefault(u.Id) ?? [], names)).ToList(), total, p.Page, p.PerPage);
    }

    public async Task<UserDto> GetAsync(Guid id, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct)
            ?? throw new NotFoundException("User");
        var roles = await RolesOfAsync([id], ct);
        var names = user.CustomerId is { } customerId ? await customers.NamesAsync([customerId], ct) : new Dictionary<Guid, string>();
        return ToDto(user, roles.GetValueOrDefault(id) ?? [], names);
    }

    /// Users who hold a role, for pickers (account executive of a customer, owner of an engagement).
    public async Task<IReadOnlyList<UserDto>> InRoleAsync(string role, CancellationToken ct) =>
        (await ListAsync(null, role, new PageRequest(1, PageRequest.MaxPerPage), ct)).Items.Where(u => u.IsActive).ToList();

    public async Task<UserDto> CreateAsync(Actor actor, UserInput input, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var email = input.Email?.Trim() ?? "";
        var name = input.Name?.Trim() ?? "";
        errors.Require(EmailAddress.IsValid(email), "email", "Enter a valid e-mail address.");
        errors.Require(name.Length is > 0 and <= 200, "name", "Enter the person's name (at most 200 characters).");
        var roles = NormaliseRoles(input.Roles);
        await ValidateRolesAsync(errors, roles, input.CustomerId, ct);
        await ValidatePasswordAsync(errors, input.Password, ct);
        if (errors.Any is false && await users.FindByEmailAsync(email) is not null)
        {
            errors.Add("email", "A user with this e-mail address already exists.");
        }
        errors.ThrowIfAny();

        var user = new ProServUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            Name = name,
            CustomerId = roles.Contains(Role.CustomerContact) ? input.CustomerId : null,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        Check(await users.CreateAsync(user, input.Password!), "password");
        Check(await users.AddToRolesAsync(user, roles), "roles");
        audit.Record(actor, "user", user.Id, "user.created", null, new { user.Email, user.Name, roles, user.CustomerId }, user.CustomerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await GetAsync(user.Id, ct);
    }

    public async Task<UserDto> UpdateAsync(Actor actor, Guid id, UserPatch patch, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id.ToString()) ?? throw new NotFoundException("User");
        var currentRoles = (await users.GetRolesAsync(user)).ToList();
        var errors = new ValidationErrors();
        var name = patch.Name?.Trim();
        if (name is not null) errors.Require(name.Length is > 0 and <= 200, "name", "Enter the person's name (at most 200 characters).");
        var roles = patch.Roles is null ? currentRoles : NormaliseRoles(patch.Roles);
        // Removing the customer-contact role unbinds the customer; a staff user given a customer is an error.
        var customerId = roles.Contains(Role.CustomerContact) ? patch.CustomerId ?? user.CustomerId : patch.CustomerId;
        if (patch.Roles is not null || patch.CustomerId is not null)
        {
            await ValidateRolesAsync(errors, roles, customerId, ct);
        }
        if (patch.Password is not null) await ValidatePasswordAsync(errors, patch.Password, ct);
        if (actor.UserId == id && (patch.IsActive == false || (patch.Roles is not null && !roles.Contains(Role.Administrator) && currentRoles.Contains(Role.Administrator))))
        {
            errors.Add("roles", "You cannot remove your own administrator role or deactivate yourself; ask another administrator.");
        }
        errors.ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (name is not null) user.Name = name;
        if (patch.IsActive is { } active) user.IsActive = active;
        user.CustomerId = roles.Contains(Role.CustomerContact) ? customerId : null;
        Check(await users.UpdateAsync(user), "user");
        if (patch.Roles is not null)
        {
            var remove = currentRoles.Except(roles, StringComparer.Ordinal).ToList();
            var add = roles.Except(currentRoles, StringComparer.Ordinal).ToList();
            if (remove.Count > 0) Check(await users.RemoveFromRolesAsync(user, remove), "roles");
            if (add.Count > 0) Check(await users.AddToRolesAsync(user, add), "roles");
        }
        if (patch.Password is not null)
        {
            // An administrator sets the password outright; no reset token (and no token provider) is involved.
            if (await users.HasPasswordAsync(user)) Check(await users.RemovePasswordAsync(user), "password");
            Check(await users.AddPasswordAsync(user, patch.Password), "password");
        }
        if (patch.Unlock)
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }
        if (patch.Password is not null)
        {
            // Whoever knew the old password may hold a session or a token made with it: an administrator's reset ends them all.
            await sessions.EndCredentials(actor, user.Id, UserSessionService.PasswordReset, keepSession: null, keepTokens: [], ct);
        }
        if (patch.IsActive == false)
        {
            // A deactivated user's sessions end at once, and its tokens stop working (they check that the user is active).
            await users.UpdateSecurityStampAsync(user);
            await sessions.EndSessionsAsync(user.Id, UserSessionService.Deactivated, keep: null, ct);
        }
        audit.Record(actor, "user", user.Id, "user.updated", null,
            new { name, roles = patch.Roles is null ? null : roles, patch.IsActive, passwordChanged = patch.Password is not null, patch.Unlock },
            user.CustomerId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await GetAsync(id, ct);
    }

    public async Task<Actor?> ActorForAsync(Guid userId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId && u.IsActive, ct);
        if (user is null) return null;
        var roles = await RolesOfAsync([userId], ct);
        return new Actor(user.Id, user.Name, new HashSet<string>(roles.GetValueOrDefault(userId) ?? [], StringComparer.Ordinal), user.CustomerId);
    }

    private static List<string> NormaliseRoles(IReadOnlyList<string>? roles) =>
        (roles ?? []).Select(r => r.Trim().ToLowerInvariant()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    private async Task ValidateRolesAsync(ValidationErrors errors, List<string> roles, Guid? customerId, CancellationToken ct)
    {
        var unknown = roles.Where(r => !Role.All.Contains(r)).ToList();
        if (unknown.Count > 0)
            errors.Add("roles", $"Unknown role: {string.Join(", ", unknown)}. Roles are: {string.Join(", ", Role.All)}.");
        errors.Require(roles.Count > 0, "roles", "Give the user at least one role.");
        if (roles.Contains(Role.CustomerContact))
        {
            errors.Require(roles.Count == 1, "roles", "A customer contact holds no other role.");
            if (customerId is null)
                errors.Add("customerId", "A customer contact is bound to exactly one customer: choose it.");
            else if (!await customers.ExistsAsync(customerId.Value, ct))
                errors.Add("customerId", "No such customer.");
        }
        else if (customerId is not null && roles.Count > 0 && unknown.Count == 0)
        {
            errors.Add("customerId", "Only customer contacts are bound to a customer.");
        }
    }

    internal async Task ValidatePasswordAsync(ValidationErrors errors, string? password, CancellationToken ct, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(field, $"Enter a password of at least {PasswordPolicy.MinimumLength} characters.");
            return;
        }
        if (PasswordPolicy.TooLong(password) is { } tooLong)
        {
            errors.Add(field, tooLong);
            return;
        }
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, null!, password);
            foreach (var e in result.Errors) errors.Add(field, e.Description);
        }
        ct.ThrowIfCancellationRequested();
    }

    private static void Check(IdentityResult result, string field)
    {
        if (!result.Succeeded)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                [field] = result.Errors.Select(e => e.Description).ToArray(),
            });
        }
    }

    private async Task<Dictionary<Guid, List<string>>> RolesOfAsync(List<Guid> userIds, CancellationToken ct)
    {
        var pairs = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userIds.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.Select(p => p.Name!).OrderBy(n => n, StringComparer.Ordinal).ToList());
    }

    private UserDto ToDto(ProServUser u, List<string> roles, IReadOnlyDictionary<Guid, string> customerNames) => new(
        u.Id, u.Email ?? "", u.Name, roles, u.CustomerId,
        u.CustomerId is { } c ? customerNames.GetValueOrDefault(c) : null, u.IsActive,
        u.LockoutEnd is { } end && end > clock.GetUtcNow(), u.CreatedAt);
}

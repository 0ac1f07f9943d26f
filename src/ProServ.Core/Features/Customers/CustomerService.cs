using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.Customers;

public sealed record CustomerContactDto(Guid Id, string Name, string Email, string? Title, string? Phone);

public sealed record CustomerDto(
    Guid Id, string Name, string Tier, string TierName, bool IsPaying, int LicensedSeats, int ActiveUsers,
    decimal? Utilisation, bool UpgradingFromCe, Guid? AccountExecutiveId, string? AccountExecutiveName, string? Notes,
    IReadOnlyList<CustomerContactDto> Contacts, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version);

public sealed record CustomerContactInput(string? Name, string? Email, string? Title, string? Phone);

public sealed record CustomerInput(
    string? Name, string? Tier, int? LicensedSeats, int? ActiveUsers, bool? UpgradingFromCe,
    Guid? AccountExecutiveId, string? Notes, IReadOnlyList<CustomerContactInput>? Contacts = null);

/// A partial update: only the fields that are set change. ClearAccountExecutive removes the AE.
public sealed record CustomerPatch(
    string? Name = null, string? Tier = null, int? LicensedSeats = null, int? ActiveUsers = null, bool? UpgradingFromCe = null,
    Guid? AccountExecutiveId = null, bool ClearAccountExecutive = false, string? Notes = null, int? Version = null);

public sealed record CustomerQuery(string? Search = null, string? Tier = null);

public sealed class CustomerService(ProServDbContext db, AuditWriter audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<Tier>> TiersAsync(CancellationToken ct) =>
        await db.Tiers.AsNoTracking().OrderBy(t => t.SortOrder).ToListAsync(ct);

    public async Task<Paged<CustomerDto>> ListAsync(Actor actor, CustomerQuery query, PageRequest page, CancellationToken ct)
    {
        var q = Visible(actor);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var s = query.Search.Trim().ToLowerInvariant();
            q = q.Where(c => c.Name.ToLower().Contains(s));
        }
        if (!string.IsNullOrWhiteSpace(query.Tier))
        {
            q = q.Where(c => c.TierId == query.Tier);
        }
        var p = page.Normalised();
        var total = await q.CountAsync(ct);
        var items = await q.OrderBy(c => c.Name).ThenBy(c => c.Id).Skip(p.Skip).Take(p.PerPage).ToListAsync(ct);
        return new Paged<CustomerDto>(items.Select(ToDto).ToList(), total, p.Page, p.PerPage);
    }

    public async Task<CustomerDto> GetAsync(Actor actor, Guid id, CancellationToken ct) =>
        ToDto(await Visible(actor).FirstOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("Customer"));

    /// Throws NotFound when the customer does not exist or the actor may not see it.
    public async Task EnsureVisibleAsync(Actor actor, Guid id, CancellationToken ct)
    {
        if (!await db.Customers.VisibleTo(actor).AnyAsync(c => c.Id == id, ct))
        {
            throw new NotFoundException("Customer");
        }
    }

    public async Task<CustomerDto> CreateAsync(Actor actor, CustomerInput input, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var name = input.Name?.Trim() ?? "";
        ValidateName(errors, name);
        errors.Require(!string.IsNullOrWhiteSpace(input.Tier), "tier", "Choose a subscription tier.");
        var seats = input.LicensedSeats ?? 0;
        var active = input.ActiveUsers ?? 0;
        ValidateCounts(errors, seats, active);
        ValidateNotes(errors, input.Notes);
        var contacts = ValidateContacts(errors, input.Contacts ?? []);
        await ValidateReferencesAsync(errors, input.Tier, input.AccountExecutiveId, ct);
        if (name.Length > 0 && await NameTakenAsync(name, null, ct))
        {
            errors.Add("name", $"A customer named '{name}' already exists.");
        }
        errors.ThrowIfAny();

        var now = clock.GetUtcNow();
        var customer = new Customer
        {
            Id = Guid.NewGuid(),
            Name = name,
            TierId = input.Tier!.Trim(),
            LicensedSeats = seats,
            ActiveUsers = active,
            UpgradingFromCe = input.UpgradingFromCe ?? false,
            AccountExecutiveId = input.AccountExecutiveId,
            Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim(),
            Contacts = contacts,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Customers.Add(customer);
        audit.Record(actor, "customer", customer.Id, "customer.created", null,
            new { customer.Name, tier = customer.TierId, customer.LicensedSeats, customer.ActiveUsers, customer.UpgradingFromCe },
            customer.Id);
        audit.Publish("customer.created", new { customer.Id, customer.Name, tier = customer.TierId });
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, customer.Id, ct);
    }

    public async Task<CustomerDto> UpdateAsync(Actor actor, Guid id, CustomerPatch patch, CancellationToken ct)
    {
        var customer = await Visible(actor, tracking: true).FirstOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new NotFoundException("Customer");
        if (patch.Version is { } v && v != customer.Version)
        {
            throw new ConflictException("Edited by someone else",
                "This customer was changed by someone else since you opened it; reload and apply your change again.");
        }

        var errors = new ValidationErrors();
        var name = patch.Name?.Trim();
        if (name is not null)
        {
            ValidateName(errors, name);
            if (name.Length > 0 && await NameTakenAsync(name, id, ct))
            {
                errors.Add("name", $"A customer named '{name}' already exists.");
            }
        }
        errors.Require(patch.Tier is null || patch.Tier.Trim().Length > 0, "tier", "Choose a subscription tier.");
        ValidateCounts(errors, patch.LicensedSeats ?? customer.LicensedSeats, patch.ActiveUsers ?? customer.ActiveUsers);
        ValidateNotes(errors, patch.Notes);
        await ValidateReferencesAsync(errors, patch.Tier, patch.AccountExecutiveId, ct);
        errors.ThrowIfAny();

        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        void Change<T>(string field, T oldValue, T newValue, Action apply)
        {
            if (!EqualityComparer<T>.Default.Equals(oldValue, newValue))
            {
                changes[field] = new { from = oldValue, to = newValue };
                apply();
            }
        }
        if (name is not null) Change("name", customer.Name, name, () => customer.Name = name);
        if (patch.Tier is not null) Change("tier", customer.TierId, patch.Tier.Trim(), () => customer.TierId = patch.Tier.Trim());
        if (patch.LicensedSeats is { } seats) Change("licensedSeats", customer.LicensedSeats, seats, () => customer.LicensedSeats = seats);
        if (patch.ActiveUsers is { } activeUsers) Change("activeUsers", customer.ActiveUsers, activeUsers, () => customer.ActiveUsers = activeUsers);
        if (patch.UpgradingFromCe is { } up) Change("upgradingFromCe", customer.UpgradingFromCe, up, () => customer.UpgradingFromCe = up);
        if (patch.ClearAccountExecutive) Change("accountExecutiveId", customer.AccountExecutiveId, null, () => customer.AccountExecutiveId = null);
        else if (patch.AccountExecutiveId is { } ae) Change<Guid?>("accountExecutiveId", customer.AccountExecutiveId, ae, () => customer.AccountExecutiveId = ae);
        if (patch.Notes is not null)
        {
            var notes = string.IsNullOrWhiteSpace(patch.Notes) ? null : patch.Notes.Trim();
            Change("notes", customer.Notes, notes, () => customer.Notes = notes);
        }

        if (changes.Count > 0)
        {
            customer.UpdatedAt = clock.GetUtcNow();
            customer.Version++;
            audit.Record(actor, "customer", customer.Id, "customer.updated", null, changes, customer.Id);
            audit.Publish("customer.updated", new { customer.Id, changes = changes.Keys });
            await SaveAsync(ct);
        }
        return await GetAsync(actor, id, ct);
    }

    public async Task<CustomerContactDto> AddContactAsync(Actor actor, Guid customerId, CustomerContactInput input, CancellationToken ct)
    {
        await EnsureVisibleAsync(actor, customerId, ct);
        var errors = new ValidationErrors();
        var contact = ValidateContacts(errors, [input], "").Single();
        errors.ThrowIfAny();
        contact.CustomerId = customerId;
        db.CustomerContacts.Add(contact);
        audit.Record(actor, "customer", customerId, "customer.contact-added", null, new { contact.Name, contact.Email }, customerId);
        await db.SaveChangesAsync(ct);
        return new CustomerContactDto(contact.Id, contact.Name, contact.Email, contact.Title, contact.Phone);
    }

    public async Task RemoveContactAsync(Actor actor, Guid customerId, Guid contactId, CancellationToken ct)
    {
        await EnsureVisibleAsync(actor, customerId, ct);
        var contact = await db.CustomerContacts.FirstOrDefaultAsync(c => c.Id == contactId && c.CustomerId == customerId, ct)
            ?? throw new NotFoundException("Contact");
        db.CustomerContacts.Remove(contact);
        audit.Record(actor, "customer", customerId, "customer.contact-removed", null, new { contact.Name, contact.Email }, customerId);
        await db.SaveChangesAsync(ct);
    }

    private IQueryable<Customer> Visible(Actor actor, bool tracking = false)
    {
        IQueryable<Customer> q = db.Customers.Include(c => c.Tier).Include(c => c.AccountExecutive).Include(c => c.Contacts);
        if (!tracking) q = q.AsNoTracking();
        return q.VisibleTo(actor);
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Edited by someone else",
                "This customer was changed by someone else at the same time; reload and apply your change again.");
        }
    }

    private Task<bool> NameTakenAsync(string name, Guid? except, CancellationToken ct)
    {
        var lower = name.ToLowerInvariant();
        return db.Customers.AnyAsync(c => c.Name.ToLower() == lower && c.Id != except, ct);
    }

    private static void ValidateName(ValidationErrors errors, string name)
    {
        errors.Require(name.Length > 0, "name", "Enter the customer's name.");
        errors.Require(name.Length <= 200, "name", "The name is longer than 200 characters.");
    }

    private static void ValidateCounts(ValidationErrors errors, int seats, int active)
    {
        errors.Require(seats >= 0, "licensedSeats", "Licensed seats cannot be negative.");
        errors.Require(active >= 0, "activeUsers", "Active users cannot be negative.");
    }

    private static void ValidateNotes(ValidationErrors errors, string? notes) =>
        errors.Require(notes is null || notes.Length <= 4000, "notes", "Notes are longer than 4000 characters.");

    private async Task ValidateReferencesAsync(ValidationErrors errors, string? tier, Guid? accountExecutiveId, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(tier) && !await db.Tiers.AnyAsync(t => t.Id == tier.Trim(), ct))
        {
            var known = string.Join(", ", await db.Tiers.OrderBy(t => t.SortOrder).Select(t => t.Id).ToListAsync(ct));
            errors.Add("tier", $"'{tier}' is not a subscription tier; use one of: {known}.");
        }
        if (accountExecutiveId is { } aeId)
        {
            var isAe = await db.UserRoles.AnyAsync(ur => ur.UserId == aeId &&
                db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Role.AccountExecutive), ct);
            errors.Require(isAe, "accountExecutiveId", "The account executive must be a user with the account-executive role.");
        }
    }

    private static List<CustomerContact> ValidateContacts(ValidationErrors errors, IReadOnlyList<CustomerContactInput> inputs, string prefix = "contacts")
    {
        var result = new List<CustomerContact>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var c = inputs[i];
            var field = prefix.Length == 0 ? "" : $"{prefix}[{i}].";
            var name = c.Name?.Trim() ?? "";
            var email = c.Email?.Trim() ?? "";
            errors.Require(name.Length is > 0 and <= 200, field + "name", "Enter the contact's name (at most 200 characters).");
            errors.Require(IsEmail(email), field + "email", "Enter a valid e-mail address for the contact.");
            result.Add(new CustomerContact
            {
                Id = Guid.NewGuid(),
                Name = name,
                Email = email,
                Title = string.IsNullOrWhiteSpace(c.Title) ? null : c.Title.Trim(),
                Phone = string.IsNullOrWhiteSpace(c.Phone) ? null : c.Phone.Trim(),
            });
        }
        return result;
    }

    internal static bool IsEmail(string value) => EmailAddress.IsValid(value);

    internal static CustomerDto ToDto(Customer c) => new(
        c.Id, c.Name, c.TierId, c.Tier?.Name ?? c.TierId, c.Tier?.IsPaying ?? false, c.LicensedSeats, c.ActiveUsers,
        c.Utilisation, c.UpgradingFromCe, c.AccountExecutiveId, c.AccountExecutive?.Name, c.Notes,
        c.Contacts.OrderBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
            .Select(x => new CustomerContactDto(x.Id, x.Name, x.Email, x.Title, x.Phone)).ToList(),
        c.CreatedAt, c.UpdatedAt, c.Version);
}

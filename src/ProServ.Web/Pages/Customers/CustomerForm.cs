using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc.Rendering;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Pages.Customers;

/// The fields of the customer form, shared by the new and edit pages. Everything is nullable: the service validates.
public sealed class CustomerForm
{
    public string? Name { get; set; }
    public string? Tier { get; set; }

    [Display(Name = "Licensed seats")]
    public int? LicensedSeats { get; set; }

    [Display(Name = "Active users")]
    public int? ActiveUsers { get; set; }

    [Display(Name = "Upgrading from CE")]
    public bool UpgradingFromCe { get; set; }

    [Display(Name = "Account executive")]
    public Guid? AccountExecutiveId { get; set; }

    // Kept as an empty string so clearing the notes on edit really clears them.
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string? Notes { get; set; }

    public int Version { get; set; }

    public static CustomerForm From(CustomerDto c) => new()
    {
        Name = c.Name,
        Tier = c.Tier,
        LicensedSeats = c.LicensedSeats,
        ActiveUsers = c.ActiveUsers,
        UpgradingFromCe = c.UpgradingFromCe,
        AccountExecutiveId = c.AccountExecutiveId,
        Notes = c.Notes ?? "",
        Version = c.Version,
    };
}

/// The choices the customer form offers, loaded from the services.
public sealed record CustomerChoices(IReadOnlyList<SelectListItem> Tiers, IReadOnlyList<SelectListItem> AccountExecutives)
{
    public static async Task<CustomerChoices> LoadAsync(CustomerService customers, UserService users, CancellationToken ct)
    {
        var tiers = (await customers.TiersAsync(ct))
            .Select(t => new SelectListItem($"{t.Name}{(t.IsPaying ? " (paying, EE)" : " (CE)")}", t.Id)).ToList();
        var aes = (await users.InRoleAsync(Role.AccountExecutive, ct))
            .Select(u => new SelectListItem($"{u.Name} <{u.Email}>", u.Id.ToString())).ToList();
        return new CustomerChoices(tiers, aes);
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Customers;

[Authorize(Policy = AuthorizationPolicies.ManageAccounts)]
public sealed class NewModel(CustomerService customers, UserService users) : ProServPageModel
{
    [BindProperty]
    public CustomerForm Input { get; set; } = new();

    public CustomerChoices Choices { get; private set; } = new([], []);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.LicensedSeats = 0;
        Input.ActiveUsers = 0;
        Choices = await CustomerChoices.LoadAsync(customers, users, ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Choices = await CustomerChoices.LoadAsync(customers, users, ct);
        if (!ModelState.IsValid) return Page();
        var created = await customers.CreateAsync(Actor, new CustomerInput(
            Input.Name, Input.Tier, Input.LicensedSeats, Input.ActiveUsers, Input.UpgradingFromCe,
            Input.AccountExecutiveId, Input.Notes), ct);
        Flash($"Customer {created.Name} created.");
        return Redirect($"/customers/{created.Id}");
    }
}

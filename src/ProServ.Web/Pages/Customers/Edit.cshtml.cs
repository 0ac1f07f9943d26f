using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Customers;

[Authorize(Policy = AuthorizationPolicies.ManageAccounts)]
public sealed class EditModel(CustomerService customers, UserService users) : ProServPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty]
    public CustomerForm Input { get; set; } = new();

    public CustomerChoices Choices { get; private set; } = new([], []);
    public CustomerDto Customer { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Customer = await customers.GetAsync(Actor, Id, ct);
        Input = CustomerForm.From(Customer);
        Choices = await CustomerChoices.LoadAsync(customers, users, ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Customer = await customers.GetAsync(Actor, Id, ct);
        Choices = await CustomerChoices.LoadAsync(customers, users, ct);
        if (!ModelState.IsValid) return Page();
        var updated = await customers.UpdateAsync(Actor, Id, new CustomerPatch(
            Name: Input.Name ?? "", Tier: string.IsNullOrWhiteSpace(Input.Tier) ? null : Input.Tier, LicensedSeats: Input.LicensedSeats, ActiveUsers: Input.ActiveUsers,
            UpgradingFromCe: Input.UpgradingFromCe, AccountExecutiveId: Input.AccountExecutiveId,
            ClearAccountExecutive: Input.AccountExecutiveId is null, Notes: Input.Notes ?? "", Version: Input.Version), ct);
        Flash($"Customer {updated.Name} saved.");
        return Redirect($"/customers/{updated.Id}");
    }
}

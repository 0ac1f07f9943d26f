using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Users;

namespace ProServ.Web.Pages.Admin.Users;

public sealed class NewModel(UserService users, CustomerService customers) : ProServPageModel
{
    [BindProperty]
    public NewUserForm Input { get; set; } = new();

    public IReadOnlyList<CustomerDto> Customers { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Customers = await UserChoices.CustomersAsync(customers, Actor, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Customers = await UserChoices.CustomersAsync(customers, Actor, ct);
        if (!ModelState.IsValid) return Page();
        // The customer select is only meaningful for customer contacts; it may still hold a value when hidden.
        var customerId = Input.Roles.Contains(Role.CustomerContact) ? Input.CustomerId : null;
        var created = await users.CreateAsync(Actor, new UserInput(Input.Email, Input.Password, Input.Name, Input.Roles, customerId), ct);
        Flash($"User {created.Name} created.");
        return Redirect($"/admin/users/{created.Id}");
    }

    public sealed class NewUserForm
    {
        [Display(Name = "E-mail address")]
        public string? Email { get; set; }
        public string? Name { get; set; }
        public string? Password { get; set; }
        public List<string> Roles { get; set; } = [];
        public Guid? CustomerId { get; set; }
    }
}

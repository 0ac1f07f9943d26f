using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Customers;

public sealed class DetailsModel(CustomerService customers, EngagementService engagements, IAuthorizationService authz) : ProServPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty]
    public ContactForm Contact { get; set; } = new();

    public CustomerDto Customer { get; private set; } = null!;
    public Paged<EngagementDto> Engagements { get; private set; } = new([], 0, 1, 50);
    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddContactAsync(CancellationToken ct)
    {
        InputPrefix = "Contact";
        await LoadAsync(ct);
        if (!CanManage) return Forbid();
        var added = await customers.AddContactAsync(Actor, Id,
            new CustomerContactInput(Contact.Name, Contact.Email, Contact.Title, Contact.Phone), ct);
        Flash($"Contact {added.Name} added.");
        return Redirect($"/customers/{Id}#contacts");
    }

    public async Task<IActionResult> OnPostRemoveContactAsync(Guid contactId, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanManage) return Forbid();
        var contact = Customer.Contacts.FirstOrDefault(c => c.Id == contactId);
        await customers.RemoveContactAsync(Actor, Id, contactId, ct);
        Flash($"Contact {contact?.Name ?? ""} removed.");
        return Redirect($"/customers/{Id}#contacts");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
        Customer = await customers.GetAsync(Actor, Id, ct);
        Engagements = await engagements.ListAsync(Actor, new EngagementQuery(CustomerId: Id), new PageRequest(1, 50), ct);
    }

    public sealed class ContactForm
    {
        public string? Name { get; set; }

        [Display(Name = "E-mail address")]
        public string? Email { get; set; }

        [Display(Name = "Job title")]
        public string? Title { get; set; }

        public string? Phone { get; set; }
    }
}

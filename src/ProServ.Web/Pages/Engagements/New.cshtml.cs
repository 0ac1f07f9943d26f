using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Engagements;

[Authorize(Policy = AuthorizationPolicies.ManageAccounts)]
public sealed class NewModel(EngagementService engagements, CustomerService customers, CatalogService catalog) : ProServPageModel
{
    [BindProperty]
    public EngagementForm Input { get; set; } = new();

    public IReadOnlyList<CustomerDto> Customers { get; private set; } = [];
    public IReadOnlyList<OfferingDto> Offerings { get; private set; } = [];

    public async Task OnGetAsync(Guid? customerId, CancellationToken ct)
    {
        Input.CustomerId = customerId;
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!ModelState.IsValid) return Page();
        var created = await engagements.CreateAsync(Actor, new EngagementInput(Input.CustomerId, Input.OfferingIds, Input.Title), ct);
        Flash($"Engagement {created.Title} opened for {created.CustomerName}.");
        return Redirect($"/engagements/{created.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Customers = (await customers.ListAsync(Actor, new CustomerQuery(), new PageRequest(1, PageRequest.MaxPerPage), ct)).Items;
        Offerings = await catalog.ListAsync(includeInactive: false, ct);
    }

    public sealed class EngagementForm
    {
        public Guid? CustomerId { get; set; }
        public List<Guid> OfferingIds { get; set; } = [];
        public string? Title { get; set; }
    }
}

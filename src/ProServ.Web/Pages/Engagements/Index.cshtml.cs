using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Engagements;

public sealed class IndexModel(EngagementService engagements, CustomerService customers, IAuthorizationService authz) : ProServPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Stage { get; set; }

    [BindProperty(SupportsGet = true)]
    public Guid? CustomerId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [FromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? PerPage { get; set; }

    public Paged<EngagementDto> Result { get; private set; } = new([], 0, 1, 25);
    public IReadOnlyList<CustomerDto> Customers { get; private set; } = [];
    public bool CanManage { get; private set; }
    public bool Filtered => !string.IsNullOrWhiteSpace(Stage) || CustomerId is not null || !string.IsNullOrWhiteSpace(Search);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
        Customers = (await customers.ListAsync(Actor, new CustomerQuery(), new PageRequest(1, PageRequest.MaxPerPage), ct)).Items;
        Result = await engagements.ListAsync(Actor, new EngagementQuery(CustomerId, Stage, Search), Paging(PageNumber, PerPage), ct);
        return PastTheEnd(Result) ?? Page();
    }
}

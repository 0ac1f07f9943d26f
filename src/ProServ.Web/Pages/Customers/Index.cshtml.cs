using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Customers;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Customers;

public sealed class IndexModel(CustomerService customers, IAuthorizationService authz) : ProServPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tier { get; set; }

    [FromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? PerPage { get; set; }

    public Paged<CustomerDto> Result { get; private set; } = new([], 0, 1, 25);
    public IReadOnlyList<Tier> Tiers { get; private set; } = [];
    public bool CanManage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
        Tiers = await customers.TiersAsync(ct);
        Result = await customers.ListAsync(Actor, new CustomerQuery(Search, Tier), Paging(PageNumber, PerPage), ct);
        return PastTheEnd(Result) ?? Page();
    }
}

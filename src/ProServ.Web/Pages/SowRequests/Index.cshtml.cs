using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.SowRequests;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.SowRequests;

/// The SOW pipeline's front page: the SOW requests, newest first, and the way to file one.
public sealed class IndexModel(SowRequestService requests, IAuthorizationService authz) : ProServPageModel
{
    [FromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    public Paged<SowRequestDto> Requests { get; private set; } = new([], 0, 1, 25);
    public bool CanRequest { get; private set; }
    public bool CanApprove { get; private set; }
    public bool IsAdministrator { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        CanRequest = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
        CanApprove = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ApproveDiscounts)).Succeeded;
        IsAdministrator = (await authz.AuthorizeAsync(User, AuthorizationPolicies.Administrator)).Succeeded;
        Requests = await requests.ListAsync(Actor, new SowRequestQuery(), Paging(PageNumber, 25), ct);
        return PastTheEnd(Requests) ?? Page();
    }
}

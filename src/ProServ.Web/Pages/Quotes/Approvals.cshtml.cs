using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Quotes;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Quotes;

/// The Director of Customer Success's inbox: every quote whose discount waits for a decision, oldest first.
[Authorize(Policy = AuthorizationPolicies.ApproveDiscounts)]
public sealed class ApprovalsModel(QuoteService quotes) : ProServPageModel
{
    [FromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    public Paged<QuoteDto> Waiting { get; private set; } = new([], 0, 1, 25);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Waiting = await quotes.ListAsync(Actor, new QuoteQuery(QuoteStatus.AwaitingApproval), Paging(PageNumber, 25), ct);
        return PastTheEnd(Waiting) ?? Page();
    }
}

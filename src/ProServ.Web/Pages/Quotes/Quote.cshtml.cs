using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Quotes;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Quotes;

/// One quote version: its lines and totals, the director's decision on a discount, and issuing it.
public sealed class QuoteModel(QuoteService quotes, IAuthorizationService authz) : ProServPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    [BindProperty]
    public int? RowVersion { get; set; }

    public QuoteDto Quote { get; private set; } = null!;
    public bool CanApprove { get; private set; }
    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken ct)
    {
        if (!(await authz.AuthorizeAsync(User, AuthorizationPolicies.ApproveDiscounts)).Succeeded) return Forbid();
        InputPrefix = "";
        await quotes.ApproveAsync(Actor, Id, Comment, RowVersion, ct);
        Flash("Discount approved; the quote can be issued.");
        return Redirect($"/sow/quotes/{Id}");
    }

    public async Task<IActionResult> OnPostRejectAsync(CancellationToken ct)
    {
        if (!(await authz.AuthorizeAsync(User, AuthorizationPolicies.ApproveDiscounts)).Succeeded) return Forbid();
        InputPrefix = "";
        await quotes.RejectAsync(Actor, Id, Comment, RowVersion, ct);
        Flash("Discount rejected.");
        return Redirect($"/sow/quotes/{Id}");
    }

    public async Task<IActionResult> OnPostIssueAsync(CancellationToken ct)
    {
        if (!(await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded) return Forbid();
        await quotes.IssueAsync(Actor, Id, RowVersion, ct);
        Flash("Quote issued to the customer.");
        return Redirect($"/sow/quotes/{Id}");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Quote = await quotes.GetAsync(Actor, Id, ct);
        CanApprove = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ApproveDiscounts)).Succeeded;
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
    }
}

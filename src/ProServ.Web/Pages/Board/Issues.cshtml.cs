using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Customers;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// The issue list with every filter in its URL (the same query string as the API and saved views).
public sealed class IssuesModel(IssueService issues, SavedViewService views, CustomerService customers, IAuthorizationService authz) : ProServPageModel
{
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true, Name = "label")] public string[]? Label { get; set; }
    [BindProperty(SupportsGet = true)] public string? Assignee { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? CustomerId { get; set; }
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? DueBefore { get; set; }
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    [BindProperty] public string? ViewName { get; set; }
    [BindProperty] public bool ViewShared { get; set; }

    public Paged<IssueDto> Result { get; private set; } = new([], 0, 1, 25);
    public IReadOnlyList<SavedViewDto> Views { get; private set; } = [];
    public IReadOnlyList<CustomerDto> Customers { get; private set; } = [];
    public bool IsStaff { get; private set; }

    public IssueQuery Query => new(Search, Type, Label is { Length: > 0 } ? BoardUi.Labels(string.Join(',', Label)) : null,
        Assignee, CustomerId, State, DueBefore);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return PastTheEnd(Result) ?? Page();
    }

    public async Task<IActionResult> OnPostSaveViewAsync(CancellationToken ct)
    {
        var view = await views.CreateAsync(Actor, new SavedViewInput(ViewName, Query.ToQueryString(), ViewShared), ct);
        Flash($"Saved the view {view.Name}.");
        return Redirect($"/board/issues?{view.Query}");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        InputPrefix = "";
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        IsStaff = (await authz.AuthorizeAsync(User, AuthorizationPolicies.Staff)).Succeeded;
        Result = await issues.ListAsync(Actor, Query, Paging(PageNumber, 50), ct);
        Views = await views.ListAsync(Actor, ct);
        Customers = (await customers.ListAsync(Actor, new CustomerQuery(), new PageRequest(1, PageRequest.MaxPerPage), ct)).Items;
    }
}

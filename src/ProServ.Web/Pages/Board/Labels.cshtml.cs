using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// Labels with colour and description; scope::value labels are exclusive on an issue.
public sealed class LabelsModel(LabelService labels, IAuthorizationService authz) : ProServPageModel
{
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }
    [BindProperty] public LabelForm Input { get; set; } = new();

    public Paged<LabelDto> Result { get; private set; } = new([], 0, 1, 100);
    public bool CanManage { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return PastTheEnd(Result) ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var label = await labels.CreateAsync(Actor, new LabelInput(Input.Name, Input.Color, Input.Description), ct);
        Flash($"Label {label.Name} created.");
        return Redirect("/board/labels");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.Staff)).Succeeded;
        Result = await labels.ListAsync(Actor, Search, Paging(PageNumber, 100), ct);
    }

    public sealed class LabelForm
    {
        public string? Name { get; set; }
        public string? Color { get; set; } = LabelRules.DefaultColor;
        public string? Description { get; set; }
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// Renames a label or changes its colour and description; issues and boards keep it.
[Authorize(Policy = AuthorizationPolicies.Staff)]
public sealed class LabelModel(LabelService labels) : ProServPageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public LabelsModel.LabelForm Input { get; set; } = new();

    [BindProperty] public bool Confirm { get; set; }

    public LabelDto Label { get; private set; } = null!;
    public int IssueCount { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var label = await labels.UpdateAsync(Actor, Id, new LabelInput(Input.Name ?? "", Input.Color, Input.Description ?? ""), ct);
        Flash($"Label {label.Name} saved.");
        return Redirect("/board/labels?search=" + Uri.EscapeDataString(label.Name));
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!Confirm)
        {
            ModelState.AddModelError("Confirm", "Tick the box to confirm that this label should be deleted.");
            return Page();
        }
        var issues = await labels.DeleteAsync(Actor, Id, ct);
        Flash($"Label {Label.Name} deleted; it came off {issues} issue{(issues == 1 ? "" : "s")}.");
        return Redirect("/board/labels");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Label = await labels.GetAsync(Actor, Id, ct);
        IssueCount = await labels.IssueCountAsync(Id, ct);
        if (Input.Name is null)
        {
            // Not posted by this form (the page itself, or the delete form): show the label as it is.
            Input = new LabelsModel.LabelForm { Name = Label.Name, Color = Label.Color, Description = Label.Description };
        }
    }
}

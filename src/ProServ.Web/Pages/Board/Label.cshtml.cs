using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// Renames a label or changes its colour and description; issues and boards keep it.
[Authorize(Policy = Policies.Staff)]
public sealed class LabelModel(LabelService labels) : ProServPageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public LabelsModel.LabelForm Input { get; set; } = new();

    public LabelDto Label { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Label = await labels.GetAsync(Id, ct);
        Input = new LabelsModel.LabelForm { Name = Label.Name, Color = Label.Color, Description = Label.Description };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var label = await labels.UpdateAsync(Actor, Id, new LabelInput(Input.Name ?? "", Input.Color, Input.Description ?? ""), ct);
        Flash($"Label {label.Name} saved.");
        return Redirect("/board/labels?search=" + Uri.EscapeDataString(label.Name));
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        Label = await labels.GetAsync(Id, HttpContext.RequestAborted);
        return Page();
    }
}

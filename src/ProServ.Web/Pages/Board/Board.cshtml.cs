using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// One board: Open, the label columns, Closed. Cards move by drag and drop (SortableJS + htmx), by Alt+arrow keys on a
/// focused card, or without script through each card's Move page.
public sealed class BoardModel(BoardService boards, IAuthorizationService authz, IWebHostEnvironment env) : ProServPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true, Name = "label")]
    public string[]? Label { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Assignee { get; set; }

    public BoardViewDto View { get; private set; } = null!;
    public bool CanMove { get; private set; }
    public bool Enhanced { get; private set; }
    public string? Moved { get; private set; }

    public IssueQuery Filter => new(Search, Type, Label is { Length: > 0 } ? BoardUi.Labels(string.Join(',', Label)) : null, Assignee);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMoveAsync(long issueId, string? toColumn, int? position, CancellationToken ct)
    {
        var result = await boards.MoveAsync(Actor, Id, new MoveInput(issueId, toColumn, position), ct);
        Moved = $"Moved #{result.IssueId} to {result.Column}, position {result.Position + 1}.";
        if (IsHtmx)
        {
            await LoadAsync(ct);
            return Partial("_Columns", this);
        }
        Flash(Moved);
        return Redirect(BoardUi.BoardUrl(Id, Filter));
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        if (ModelState.ErrorCount > 0 && Refusal is null)
        {
            Refusal = new Refusal("The card was not moved",
                string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)), null);
            ModelState.Clear();
        }
        return IsHtmx ? Partial("_Columns", this) : Page();
    }

    private bool IsHtmx => Request.Headers.ContainsKey("HX-Request");

    private async Task LoadAsync(CancellationToken ct)
    {
        CanMove = (await authz.AuthorizeAsync(User, AuthorizationPolicies.Staff)).Succeeded;
        View = await boards.ViewAsync(Actor, Id, Filter, BoardService.DefaultCardsPerColumn, ct);
        Enhanced = env.WebRootFileProvider.GetFileInfo("lib/htmx.min.js").Exists
            && env.WebRootFileProvider.GetFileInfo("lib/Sortable.min.js").Exists;
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// Moving a card without drag and drop: choose the column and the place. Works without script.
[Authorize(Policy = AuthorizationPolicies.Staff)]
public sealed class MoveModel(BoardService boards, IssueService issues) : ProServPageModel
{
    [FromRoute]
    public Guid BoardId { get; set; }

    [FromRoute]
    public long IssueId { get; set; }

    [BindProperty]
    public string? ToColumn { get; set; }

    [BindProperty]
    public int? Position { get; set; }

    public BoardDto Board { get; private set; } = null!;
    public IssueDto Issue { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var position = Position is { } p ? Math.Max(0, p - 1) : (int?)null;
        var result = await boards.MoveAsync(Actor, BoardId, new MoveInput(IssueId, ToColumn, position), ct);
        Flash($"Moved #{result.IssueId} to {result.Column}, position {result.Position + 1}.");
        return Redirect($"/board/{BoardId}");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        InputPrefix = "";
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Board = await boards.GetAsync(Actor, BoardId, ct);
        Issue = await issues.GetAsync(Actor, IssueId, ct);
    }
}

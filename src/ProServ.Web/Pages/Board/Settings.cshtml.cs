using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// Renames a board, changes its columns and filter, or deletes it (issues and labels stay).
[Authorize(Policy = AuthorizationPolicies.Staff)]
public sealed class SettingsModel(BoardService boards) : ProServPageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public IndexModel.BoardForm Input { get; set; } = new();
    [BindProperty] public bool Confirm { get; set; }

    public BoardDto Board { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Board = await boards.GetAsync(Actor, Id, ct);
        Input = new IndexModel.BoardForm
        {
            Name = Board.Name,
            Columns = string.Join(", ", Board.Columns.Select(c => c.Name)),
            Filter = Board.Filter,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var board = await boards.UpdateAsync(Actor, Id, new BoardInput(Input.Name, BoardUi.Labels(Input.Columns), Input.Filter ?? ""), ct);
        Flash($"Board {board.Name} saved.");
        return Redirect($"/board/{board.Id}");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        Board = await boards.GetAsync(Actor, Id, ct);
        if (!Confirm)
        {
            ModelState.AddModelError("Confirm", "Tick the box to confirm that this board should be deleted.");
            return Page();
        }
        await boards.DeleteAsync(Actor, Id, ct);
        Flash($"Board {Board.Name} deleted.");
        return Redirect("/board");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        Board = await boards.GetAsync(Actor, Id, HttpContext.RequestAborted);
        return Page();
    }
}

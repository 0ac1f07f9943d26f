using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

public sealed class IndexModel(BoardService boards, SavedViewService views, IAuthorizationService authz) : ProServPageModel
{
    public IReadOnlyList<BoardDto> Boards { get; private set; } = [];
    public IReadOnlyList<SavedViewDto> Views { get; private set; } = [];
    public bool CanManage { get; private set; }

    [BindProperty]
    public BoardForm Input { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var board = await boards.CreateAsync(Actor, new BoardInput(Input.Name, BoardUi.Labels(Input.Columns), Input.Filter), ct);
        Flash($"Board {board.Name} created.");
        return Redirect($"/board/{board.Id}");
    }

    public async Task<IActionResult> OnPostDeleteViewAsync(Guid viewId, CancellationToken ct)
    {
        await views.DeleteAsync(Actor, viewId, ct);
        Flash("Saved view deleted.");
        return Redirect("/board");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.Staff)).Succeeded;
        Boards = await boards.ListAsync(Actor, ct);
        Views = await views.ListAsync(Actor, ct);
    }

    public sealed class BoardForm
    {
        public string? Name { get; set; }
        public string? Columns { get; set; }
        public string? Filter { get; set; }
    }
}

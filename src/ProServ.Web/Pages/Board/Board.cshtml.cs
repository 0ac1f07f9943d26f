using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using ProServ.Core.Common;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// One card as a board column shows it.
public sealed record BoardCard(Guid BoardId, bool CanMove, CardDto Card);

/// One board: Open, the label columns, Closed. Each column shows its first cards and loads more as it is scrolled (or with
/// its "Load more" link, which without script shows the board with more cards per column). Cards move by drag and drop
/// (SortableJS + htmx), by Alt+arrow keys on a focused card, or without script through each card's Move page.
public sealed class BoardModel(BoardService boards, BoardColumnQuery columns, IAuthorizationService authz, IWebHostEnvironment env)
    : ProServPageModel
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

    /// Cards to show per column: the "Load more" link without script asks for more, and a move keeps what was loaded.
    [BindProperty(SupportsGet = true)]
    public int? Show { get; set; }

    public BoardViewDto View { get; private set; } = null!;
    public ColumnPageDto? ColumnPage { get; private set; }
    public bool CanMove { get; private set; }
    public bool Enhanced { get; private set; }
    public string? Moved { get; private set; }

    public int PerColumn => Math.Clamp(Show ?? BoardColumnQuery.PageSize, BoardColumnQuery.PageSize, BoardColumnQuery.MaxCards);

    /// The board with this many more cards per column: the "Load more" link's address without script.
    public string ShowMoreUrl(int columnIndex) => QueryHelpers.AddQueryString(BoardUi.BoardUrl(Id, Filter), "show",
        (PerColumn + BoardColumnQuery.PageSize).ToString(CultureInfo.InvariantCulture)) + "#col-" + columnIndex.ToString(CultureInfo.InvariantCulture);

    /// Where board.js fetches a column's next cards (it adds the last shown card as "after").
    public string ColumnUrl(string key) => QueryHelpers.AddQueryString(BoardUi.BoardUrl(Id, Filter),
        new Dictionary<string, string?> { ["handler"] = "Column", ["column"] = key });

    public IssueQuery Filter => new(Search, Type, Label is { Length: > 0 } ? BoardUi.Labels(string.Join(',', Label)) : null, Assignee);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    /// The next cards of one column, as list items for board.js to append.
    public async Task<IActionResult> OnGetColumnAsync(string? column, long? after, CancellationToken ct)
    {
        CanMove = await CanMoveAsync();
        ColumnPage = await columns.PageAsync(Actor, Id, column, Filter, after, BoardColumnQuery.PageSize, ct);
        return Partial("_ColumnPage", this);
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
        if (string.Equals(Request.Query["handler"], "Column", StringComparison.OrdinalIgnoreCase))
        {
            // A fragment request: board.js says the column could not be continued and offers a reload.
            return StatusCode(StatusCodes.Status422UnprocessableEntity);
        }
        await LoadAsync(HttpContext.RequestAborted);
        if (ModelState.ErrorCount > 0 && Refusal is null)
        {
            Refusal = new Refusal("The card was not moved",
                string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)), null);
            ModelState.Clear();
        }
        return IsHtmx ? Partial("_Columns", this) : Page();
    }

    private async Task<bool> CanMoveAsync() => (await authz.AuthorizeAsync(User, AuthorizationPolicies.Staff)).Succeeded;

    private bool IsHtmx => Request.Headers.ContainsKey("HX-Request");

    private async Task LoadAsync(CancellationToken ct)
    {
        CanMove = await CanMoveAsync();
        View = await columns.FirstPagesAsync(Actor, Id, Filter, PerColumn, ct);
        Enhanced = env.WebRootFileProvider.GetFileInfo("lib/htmx.min.js").Exists
            && env.WebRootFileProvider.GetFileInfo("lib/Sortable.min.js").Exists;
    }
}

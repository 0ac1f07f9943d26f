using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;

namespace ProServ.Core.Features.Board;

/// A further page of one board column: the column's total, its next cards, and the card to continue after when there are
/// more still (null at the end of the column).
public sealed record ColumnPageDto(string Key, int Total, IReadOnlyList<CardDto> Cards, long? ContinueAfter);

/// The board as its page loads it: the first cards of every column, then more of one column at a time as the person
/// scrolls, as GitLab's boards do. Rendering every card of a large board on every visit made the page about 1 MB of HTML
/// (1,212 cards) and the slowest request of a mixed load. Which issue is in which column is BoardService's rule
/// (<see cref="BoardService.InColumn"/>); this only pages it.
public sealed class BoardColumnQuery(ProServDbContext db, BoardService boards, IssueService issues)
{
    /// Cards per column on the first render and per further page.
    public const int PageSize = 20;
    /// The most cards of one column a single request renders (further pages, or the script-free "show more" link).
    public const int MaxCards = 500;

    private static readonly Expression<Func<Issue, CardRow>> Row =
        i => new CardRow(i.Id, i.Title, i.Type, i.State, i.DueDate, i.Weight, i.Confidential, i.EngagementId);

    /// Every column with its total and its first <paramref name="perColumn"/> cards in board order. Queried column by
    /// column: reading the whole board in one pass (as <see cref="BoardService.ViewAsync"/> does for the API) loads every
    /// card's labels only to show the first few.
    public async Task<BoardViewDto> FirstPagesAsync(Actor actor, Guid boardId, IssueQuery? narrow, int perColumn, CancellationToken ct)
    {
        var (board, onBoard) = await OpenAsync(actor, boardId, narrow, ct);
        var take = Math.Clamp(perColumn, 1, MaxCards);
        var raw = new List<(string Key, string Title, string? Color, int Total, List<CardRow> Rows)>();
        foreach (var (key, title, color) in BoardService.Keys(board))
        {
            var column = boards.InColumn(onBoard, key, board);
            var rows = await Ordered(column).Take(take).Select(Row).ToListAsync(ct);
            // Counting is needed only when the column has more cards than it shows.
            var total = rows.Count < take ? rows.Count : await column.CountAsync(ct);
            raw.Add((key, title, color, total, rows));
        }
        var cards = await CardsAsync(raw.SelectMany(c => c.Rows), ct);
        return new BoardViewDto(BoardService.ToDto(board),
            raw.Select(c => new ColumnDto(c.Key, c.Title, c.Color, c.Total, c.Rows.Select(r => cards[r.Id]).ToList())).ToList());
    }

    /// The cards of <paramref name="column"/> (a column key: open, closed or a label of the board) that come after the card
    /// <paramref name="after"/> in board order (from the top without it). Keyed on that card's place rather than an
    /// offset, so a card moved out of the part already shown neither makes the next page skip a card nor repeat one.
    public async Task<ColumnPageDto> PageAsync(Actor actor, Guid boardId, string? column, IssueQuery? narrow, long? after, int take,
        CancellationToken ct)
    {
        var (board, onBoard) = await OpenAsync(actor, boardId, narrow, ct);
        var key = LabelRules.KeyOf(column ?? "");
        if (!BoardService.Keys(board).Any(k => k.Key == key))
        {
            throw new NotFoundException("Column");
        }
        var inColumn = boards.InColumn(onBoard, key, board);
        var page = inColumn;
        if (after is { } afterId)
        {
            // Looked up among the issues the actor sees on this board, so the cursor tells nothing about other issues.
            var rank = await onBoard.Where(i => i.Id == afterId).Select(i => (long?)i.Rank).FirstOrDefaultAsync(ct);
            if (rank is not { } r)
            {
                throw new ValidationFailedException(new Dictionary<string, string[]>(StringComparer.Ordinal)
                {
                    ["after"] = [$"Issue #{afterId} is not on this board any more; reload the board."],
                });
            }
            page = inColumn.Where(i => i.Rank > r || (i.Rank == r && i.Id > afterId));
        }
        var size = Math.Clamp(take, 1, MaxCards);
        var rows = await Ordered(page).Take(size + 1).Select(Row).ToListAsync(ct);
        var more = rows.Count > size;
        if (more) rows.RemoveAt(size);
        var total = await inColumn.CountAsync(ct);
        var cards = await CardsAsync(rows, ct);
        return new ColumnPageDto(key, total, rows.Select(r => cards[r.Id]).ToList(), more ? rows[^1].Id : null);
    }

    private async Task<(IssueBoard Board, IQueryable<Issue> OnBoard)> OpenAsync(Actor actor, Guid boardId, IssueQuery? narrow, CancellationToken ct)
    {
        var board = await boards.LoadAsync(actor, boardId, ct);
        var filter = IssueQuery.Parse(board.Filter);
        if (narrow is not null) filter = filter.Narrow(narrow);
        return (board, await IssueQueryFilters.FilterAsync(db, actor, filter with { State = null }, ct));
    }

    private static IOrderedQueryable<Issue> Ordered(IQueryable<Issue> q) => q.OrderBy(i => i.Rank).ThenBy(i => i.Id);

    /// The cards with their labels and assignees: one query each for all the rows, with the id list as one parameter.
    private async Task<Dictionary<long, CardDto>> CardsAsync(IEnumerable<CardRow> rows, CancellationToken ct)
    {
        var distinct = rows.DistinctBy(r => r.Id).ToList();
        var ids = distinct.Select(r => r.Id).ToList();
        if (ids.Count == 0) return [];
        var cardLabels = await db.IssueLabels.AsNoTracking().Where(l => EF.Parameter(ids).Contains(l.IssueId))
            .Select(l => new { l.IssueId, l.LabelId }).ToListAsync(ct);
        var cardAssignees = await db.IssueAssignees.AsNoTracking().Where(a => EF.Parameter(ids).Contains(a.IssueId))
            .Select(a => new { a.IssueId, a.UserId }).ToListAsync(ct);
        var labelIds = cardLabels.Select(l => l.LabelId).Distinct().ToList();
        var labelsById = labelIds.Count == 0 ? [] : await db.Labels.AsNoTracking().Where(l => EF.Parameter(labelIds).Contains(l.Id))
            .ToDictionaryAsync(l => l.Id, LabelDto.From, ct);
        var names = await issues.UserNamesAsync(cardAssignees.Select(a => a.UserId), ct);
        var labelsOf = cardLabels.ToLookup(l => l.IssueId, l => labelsById[l.LabelId]);
        var assigneesOf = cardAssignees.ToLookup(a => a.IssueId, a => new UserRefDto(a.UserId, names.GetValueOrDefault(a.UserId, "")));
        return distinct.ToDictionary(r => r.Id, r => new CardDto(
            r.Id, r.Title, r.Type, r.State,
            labelsOf[r.Id].OrderBy(l => l.Name, StringComparer.Ordinal).ToList(),
            assigneesOf[r.Id].ToList(),
            r.DueDate, r.Weight, r.Confidential, r.EngagementId));
    }

    private sealed record CardRow(long Id, string Title, string Type, string State, DateOnly? DueDate, int? Weight, bool Confidential,
        Guid? EngagementId);
}

using Microsoft.EntityFrameworkCore;
using Npgsql;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Board;

public sealed record BoardInput(string? Name, IReadOnlyList<string>? Columns, string? Filter);

public sealed record BoardDto(Guid Id, string Name, string? Filter, IReadOnlyList<LabelDto> Columns, int Version);

public sealed record CardDto(
    long Id, string Title, string Type, string State, IReadOnlyList<LabelDto> Labels, IReadOnlyList<UserRefDto> Assignees,
    DateOnly? DueDate, int? Weight, bool Confidential, Guid? EngagementId);

/// One column of a board as shown: its key (open, closed or the label's name), the number of cards in it, and the first cards in order.
public sealed record ColumnDto(string Key, string Title, string? Color, int Total, IReadOnlyList<CardDto> Cards);

public sealed record BoardViewDto(BoardDto Board, IReadOnlyList<ColumnDto> Columns);

/// Moves a card to a column (a label's name, "open" or "closed") at a 0-based position; no position puts it at the end.
public sealed record MoveInput(long IssueId, string? ToColumn, int? Position);

public sealed record MoveResult(long IssueId, string Column, int Position, IssueDto Issue);

public sealed class BoardService(
    ProServDbContext db, AuditWriter audit, TimeProvider clock, LabelService labels, IssueService issues,
    EngagementStageLink stageLink)
{
    public const string OpenColumn = "open";
    public const string ClosedColumn = "closed";
    public const int DefaultCardsPerColumn = 1000;
    private const int SinglePassLimit = 5000;
    private const int MoveAttempts = 5;

    /// Boards are the team's: their names, filters (which may name a customer) and columns are not a customer's to see, so
    /// a customer contact gets none (its own issues reach it through the portal).
    public async Task<IReadOnlyList<BoardDto>> ListAsync(Actor actor, CancellationToken ct) => !actor.IsStaff ? [] :
        (await db.Boards.AsNoTracking().Include(b => b.Columns).ThenInclude(c => c.Label).OrderBy(b => b.Name).ToListAsync(ct))
        .Select(ToDto).ToList();

    public async Task<BoardDto> GetAsync(Actor actor, Guid id, CancellationToken ct) => ToDto(await LoadAsync(actor, id, ct));

    public async Task<BoardDto> CreateAsync(Actor actor, BoardInput input, CancellationToken ct)
    {
        LabelService.RequireStaff(actor);
        var errors = new ValidationErrors();
        var name = input.Name?.Trim() ?? "";
        errors.Require(name.Length is > 0 and <= 200, "name", "Enter a name of at most 200 characters.");
        var filter = CheckFilter(input.Filter, errors);
        var columns = await labels.ResolveAsync(input.Columns ?? [], create: true, errors, "columns", ct);
        errors.ThrowIfAny();
        var board = new IssueBoard { Id = Guid.NewGuid(), Name = name, Filter = filter, CreatedAt = clock.GetUtcNow() };
        board.Columns = columns.Select((l, i) => new BoardColumn { Id = Guid.NewGuid(), BoardId = board.Id, LabelId = l.Id, Position = i }).ToList();
        db.Boards.Add(board);
        audit.Record(actor, "board", board.Id, "board.created", null, new { name, filter, columns = columns.Select(c => c.Name) });
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, board.Id, ct);
    }

    public async Task<BoardDto> UpdateAsync(Actor actor, Guid id, BoardInput input, CancellationToken ct)
    {
        LabelService.RequireStaff(actor);
        var board = await db.Boards.Include(b => b.Columns).FirstOrDefaultAsync(b => b.Id == id, ct) ?? throw new NotFoundException("Board");
        var errors = new ValidationErrors();
        if (input.Name is not null)
        {
            var name = input.Name.Trim();
            errors.Require(name.Length is > 0 and <= 200, "name", "Enter a name of at most 200 characters.");
            board.Name = name;
        }
        if (input.Filter is not null)
        {
            board.Filter = CheckFilter(input.Filter, errors);
        }
        if (input.Columns is not null)
        {
            var columns = await labels.ResolveAsync(input.Columns, create: true, errors, "columns", ct);
            db.BoardColumns.RemoveRange(board.Columns);
            // Added explicitly: new entities with their key already set would otherwise be taken for existing rows.
            var replacement = columns.Select((l, i) => new BoardColumn { Id = Guid.NewGuid(), BoardId = board.Id, LabelId = l.Id, Position = i }).ToList();
            db.BoardColumns.AddRange(replacement);
            board.Columns = replacement;
        }
        errors.ThrowIfAny();
        board.Version++;
        audit.Record(actor, "board", board.Id, "board.updated", null, new { board.Name, board.Filter });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Changed at the same time", "Someone else changed this board at the same moment; reload it and try again.");
        }
        return await GetAsync(actor, id, ct);
    }

    public async Task DeleteAsync(Actor actor, Guid id, CancellationToken ct)
    {
        LabelService.RequireStaff(actor);
        var board = await db.Boards.FirstOrDefaultAsync(b => b.Id == id, ct) ?? throw new NotFoundException("Board");
        db.Boards.Remove(board);
        audit.Record(actor, "board", board.Id, "board.deleted", null, new { board.Name });
        await db.SaveChangesAsync(ct);
    }

    /// The board as the actor sees it: Open, the label columns, Closed; each with its count and first cards in order.
    /// <paramref name="narrow"/> filters further (the board page's own filter bar).
    public async Task<BoardViewDto> ViewAsync(Actor actor, Guid id, IssueQuery? narrow, int cardsPerColumn, CancellationToken ct)
    {
        var board = await LoadAsync(actor, id, ct);
        var filter = IssueQuery.Parse(board.Filter);
        if (narrow is not null) filter = filter.Narrow(narrow);
        var q = await IssueQueryFilters.FilterAsync(db, actor, filter with { State = null }, ct);
        var take = Math.Clamp(cardsPerColumn, 0, 5000);

        var raw = new List<(string Key, string Title, string? Color, int Total, List<CardRow> Cards)>();
        // A board of up to a few thousand issues is read in one pass and split into columns here; a larger one (say, a
        // board without a filter) column by column, each column's first cards only.
        var whole = take == 0 ? null : await q.OrderBy(i => i.Rank).ThenBy(i => i.Id).Take(SinglePassLimit + 1)
            .Select(i => new CardRow(i.Id, i.Title, i.Type, i.State, i.DueDate, i.Weight, i.Confidential, i.EngagementId))
            .ToListAsync(ct);
        var singlePass = whole is not null && whole.Count <= SinglePassLimit;
        var ids = singlePass ? whole!.Select(r => r.Id).ToList() : [];
        // One parameter holding the whole list (json_each on SQLite, an array on PostgreSQL): thousands of separate
        // parameters would make a new statement to plan on every render.
        var cardLabels = ids.Count == 0 ? [] : await db.IssueLabels.AsNoTracking().Where(l => EF.Parameter(ids).Contains(l.IssueId))
            .Select(l => new { l.IssueId, l.LabelId }).ToListAsync(ct);
        if (singlePass)
        {
            var columnOf = board.Columns.ToDictionary(c => c.LabelId, c => c.Label!.Key);
            var inColumns = cardLabels.Where(l => columnOf.ContainsKey(l.LabelId)).ToLookup(l => l.IssueId, l => columnOf[l.LabelId]);
            var byColumn = new Dictionary<string, List<CardRow>>(StringComparer.Ordinal);
            foreach (var row in whole!)
            {
                var keys = row.State == Issue.Closed ? [ClosedColumn] : inColumns[row.Id].DefaultIfEmpty(OpenColumn);
                foreach (var key in keys)
                {
                    if (!byColumn.TryGetValue(key, out var list)) byColumn[key] = list = [];
                    list.Add(row);
                }
            }
            foreach (var (key, title, color) in Keys(board))
            {
                var rows = byColumn.GetValueOrDefault(key) ?? [];
                raw.Add((key, title, color, rows.Count, rows.Take(take).ToList()));
            }
        }
        else
        {
            foreach (var (key, title, color) in Keys(board))
            {
                var column = InColumn(q, key, board);
                var rows = take == 0 ? [] : await column.OrderBy(i => i.Rank).ThenBy(i => i.Id).Take(take)
                    .Select(i => new CardRow(i.Id, i.Title, i.Type, i.State, i.DueDate, i.Weight, i.Confidential, i.EngagementId))
                    .ToListAsync(ct);
                // Counting is needed only when the column has more cards than it shows.
                var total = rows.Count < take ? rows.Count : await column.CountAsync(ct);
                raw.Add((key, title, color, total, rows));
            }
            ids = raw.SelectMany(c => c.Cards.Select(r => r.Id)).Distinct().ToList();
            cardLabels = ids.Count == 0 ? [] : await db.IssueLabels.AsNoTracking().Where(l => EF.Parameter(ids).Contains(l.IssueId))
                .Select(l => new { l.IssueId, l.LabelId }).ToListAsync(ct);
        }
        var shown = raw.SelectMany(c => c.Cards.Select(r => r.Id)).Distinct().ToList();
        var cardAssignees = shown.Count == 0 ? [] : await db.IssueAssignees.AsNoTracking().Where(a => EF.Parameter(shown).Contains(a.IssueId))
            .Select(a => new { a.IssueId, a.UserId }).ToListAsync(ct);
        var labelIds = cardLabels.Select(l => l.LabelId).Distinct().ToList();
        var labelsById = labelIds.Count == 0 ? [] : await db.Labels.AsNoTracking().Where(l => EF.Parameter(labelIds).Contains(l.Id))
            .ToDictionaryAsync(l => l.Id, LabelDto.From, ct);
        var names = await issues.UserNamesAsync(cardAssignees.Select(a => a.UserId), ct);
        var labelsOf = cardLabels.ToLookup(l => l.IssueId, l => labelsById[l.LabelId]);
        var assigneesOf = cardAssignees.ToLookup(a => a.IssueId, a => new UserRefDto(a.UserId, names.GetValueOrDefault(a.UserId, "")));
        var columns = raw.Select(c => new ColumnDto(c.Key, c.Title, c.Color, c.Total, c.Cards.Select(r => new CardDto(
            r.Id, r.Title, r.Type, r.State,
            labelsOf[r.Id].OrderBy(l => l.Name, StringComparer.Ordinal).ToList(),
            assigneesOf[r.Id].ToList(),
            r.DueDate, r.Weight, r.Confidential, r.EngagementId)).ToList())).ToList();
        return new BoardViewDto(ToDto(board), columns);
    }

    /// Moves a card. Moves on one board are serialised by a lock on the board's row taken first in the transaction, so two
    /// people moving cards at once both get their move, each placed against the other's result; a clash with another kind of
    /// write (an edit of the same issue) is retried.
    public async Task<MoveResult> MoveAsync(Actor actor, Guid boardId, MoveInput input, CancellationToken ct)
    {
        LabelService.RequireStaff(actor);
        var errors = new ValidationErrors();
        var to = input.ToColumn?.Trim() ?? "";
        errors.Require(to.Length > 0, "toColumn", "Name the column: a label of the board, open or closed.");
        errors.Require(input.Position is null or >= 0, "position", "The position is 0 or more.");
        errors.ThrowIfAny();
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                return await TryMoveAsync(actor, boardId, input, to, ct);
            }
            catch (Exception e) when (attempt < MoveAttempts && IsRetryable(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5 * attempt), ct);
            }
        }
    }

    private async Task<MoveResult> TryMoveAsync(Actor actor, Guid boardId, MoveInput input, string to, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The lock: a row lock on PostgreSQL, the database's write lock on SQLite. Held until commit.
        var locked = await db.Boards.Where(b => b.Id == boardId)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.MoveCount, b => b.MoveCount + 1), ct);
        if (locked == 0)
        {
            throw new NotFoundException("Board");
        }
        var board = await LoadAsync(actor, boardId, ct);
        var filter = IssueQuery.Parse(board.Filter) with { State = null };
        var onBoard = await IssueQueryFilters.FilterAsync(db, Actor.System, filter, ct);
        // Loaded through the board's filter (one query fewer on the common path); only a miss asks why.
        var issue = (await issues.LoadAsync(onBoard.Where(i => i.Id == input.IssueId), tracking: true, ct)).FirstOrDefault();
        if (issue is null)
        {
            if (!await IssueQueryFilters.Visible(db, actor).AnyAsync(i => i.Id == input.IssueId, ct))
            {
                throw new NotFoundException("Issue");
            }
            throw new ValidationFailedException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["issueId"] = [$"Issue #{input.IssueId} is not on this board (its filter is '{board.Filter}')."],
            });
        }
        var errors = new ValidationErrors();
        var key = to.ToLowerInvariant();
        var target = board.Columns.Select(c => c.Label!).FirstOrDefault(l => l.Key == LabelRules.KeyOf(to));
        if (target is null && key is not (OpenColumn or ClosedColumn))
        {
            errors.Add("toColumn", $"The board's columns are: {string.Join(", ", Keys(board).Select(k => k.Key))}.");
        }
        errors.ThrowIfAny();
        var columnKey = target?.Name ?? key;

        var columnLabelIds = board.Columns.Select(c => c.LabelId).ToHashSet();
        var current = issue.Labels.Select(l => l.Label!).ToList();
        var stageBefore = EngagementStageLink.StageOf(current);
        var state = issue.State;
        if (target is not null)
        {
            current.RemoveAll(l => columnLabelIds.Contains(l.Id) && l.Id != target.Id);
            LabelRules.AddExclusive(current, target);
            state = Issue.Open;
        }
        else if (key == OpenColumn)
        {
            current.RemoveAll(l => columnLabelIds.Contains(l.Id));
            state = Issue.Open;
        }
        else
        {
            state = Issue.Closed;
        }
        // The engagement's rules decide; a refusal propagates, the transaction rolls back and the card stays where it was.
        if (EngagementStageLink.StageChange(issue, stageBefore, current) is { } stageTo)
        {
            await stageLink.AskEngagementAsync(actor, issue, stageTo, $"Card #{issue.Id} moved to {columnKey} on the board {board.Name}", ct);
        }

        var column = InColumn(onBoard, key == ClosedColumn ? ClosedColumn : target is null ? OpenColumn : target.Key, board)
            .Where(i => i.Id != issue.Id);
        issue.Rank = await RankAtAsync(column, input.Position, issue.Rank, ct);
        IssueService.SetLabels(issue, current);
        if (state != issue.State)
        {
            issues.SetState(issue, state);
        }
        issue.UpdatedAt = clock.GetUtcNow();
        issue.Version++;
        issues.Activity(actor, issue.Id, "issue.moved", $"moved the card to {columnKey} on the board {board.Name}");
        audit.Record(actor, "issue", issue.Id, "issue.moved", null, new { board = board.Id, column = columnKey, input.Position }, issue.CustomerId);
        audit.Publish("issue.moved", new { issue.Id, board = board.Id, column = columnKey });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var position = input.Position ?? await column.CountAsync(i => i.Rank < issue.Rank || (i.Rank == issue.Rank && i.Id < issue.Id), ct);
        return new MoveResult(issue.Id, columnKey, position, (await issues.ToDtosAsync([issue], ct))[0]);
    }

    /// A rank between the neighbours at <paramref name="position"/> (gapped integers); when two neighbours have no gap left,
    /// the cards from the later one on are shifted up by a gap, which keeps their order.
    private static async Task<long> RankAtAsync(IQueryable<Issue> column, int? position, long current, CancellationToken ct)
    {
        var ordered = column.OrderBy(i => i.Rank).ThenBy(i => i.Id);
        if (position is null)
        {
            var last = await column.MaxAsync(i => (long?)i.Rank, ct);
            return last is null ? current : last.Value + IssueService.RankGap;
        }
        var p = position.Value;
        var around = await ordered.Skip(Math.Max(p - 1, 0)).Take(2).Select(i => i.Rank).ToListAsync(ct);
        long? prev = p == 0 ? null : around.Count > 0 ? around[0] : null;
        long? next = p == 0 ? (around.Count > 0 ? around[0] : null) : around.Count > 1 ? around[1] : null;
        if (prev is null && next is null)
        {
            return await column.MaxAsync(i => (long?)i.Rank, ct) is { } max ? max + IssueService.RankGap : current;
        }
        if (prev is null) return next!.Value - IssueService.RankGap;
        if (next is null) return prev.Value + IssueService.RankGap;
        if (next.Value - prev.Value < 2)
        {
            var from = next.Value;
            await column.Where(i => i.Rank >= from).ExecuteUpdateAsync(s => s.SetProperty(i => i.Rank, i => i.Rank + IssueService.RankGap), ct);
            next = from + IssueService.RankGap;
        }
        return prev.Value + (next.Value - prev.Value) / 2;
    }

    private static bool IsRetryable(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: PostgresException pg } => IsTransient(pg),
        PostgresException pg => IsTransient(pg),
        InvalidOperationException { InnerException: PostgresException pg } => IsTransient(pg),
        _ => false,
    };

    private static bool IsTransient(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    internal IQueryable<Issue> InColumn(IQueryable<Issue> q, string key, IssueBoard board)
    {
        if (key == OpenColumn)
        {
            return IssueQueryFilters.WithoutLabels(db, q.Where(i => i.State == Issue.Open), board.Columns.Select(c => c.LabelId).ToList());
        }
        if (key == ClosedColumn)
        {
            return q.Where(i => i.State == Issue.Closed);
        }
        var labelId = board.Columns.First(c => c.Label!.Key == key || c.Label.Name == key).LabelId;
        return IssueQueryFilters.WithLabel(db, q.Where(i => i.State == Issue.Open), labelId);
    }

    internal static IEnumerable<(string Key, string Title, string? Color)> Keys(IssueBoard board)
    {
        yield return (OpenColumn, "Open", null);
        foreach (var c in board.Columns.OrderBy(c => c.Position))
        {
            yield return (c.Label!.Key, c.Label.Name, c.Label.Color);
        }
        yield return (ClosedColumn, "Closed", null);
    }

    /// A contact is told the board does not exist rather than that it may not see it: a 403 would confirm the id.
    internal async Task<IssueBoard> LoadAsync(Actor actor, Guid id, CancellationToken ct) => !actor.IsStaff ? throw new NotFoundException("Board") :
        await db.Boards.AsNoTracking().Include(b => b.Columns).ThenInclude(c => c.Label).FirstOrDefaultAsync(b => b.Id == id, ct)
        ?? throw new NotFoundException("Board");

    private static string? CheckFilter(string? filter, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(filter)) return null;
        var q = IssueQuery.Parse(filter);
        errors.Require(q.Type is null || IssueType.IsKnown(q.Type), "filter", $"The filter's type is one of: {string.Join(", ", IssueType.All)}.");
        var canonical = (q with { State = null }).ToQueryString();
        errors.Require(canonical.Length > 0, "filter", "The filter is a query string such as type=strategic-initiative&label=workflow::planned.");
        return canonical.Length == 0 ? null : canonical;
    }

    internal static BoardDto ToDto(IssueBoard b) => new(b.Id, b.Name, b.Filter,
        b.Columns.OrderBy(c => c.Position).Where(c => c.Label is not null).Select(c => LabelDto.From(c.Label!)).ToList(), b.Version);

    private sealed record CardRow(long Id, string Title, string Type, string State, DateOnly? DueDate, int? Weight, bool Confidential,
        Guid? EngagementId);
}

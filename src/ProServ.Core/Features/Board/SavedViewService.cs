using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Board;

public sealed record SavedViewDto(Guid Id, string Name, string Query, bool Shared, bool Mine);

public sealed record SavedViewInput(string? Name, string? Query, bool Shared = false);

/// Saved issue filters. A view is its query string: the issue list at /board/issues?{query} is its stable URL.
public sealed class SavedViewService(ProServDbContext db, AuditWriter audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<SavedViewDto>> ListAsync(Actor actor, CancellationToken ct)
    {
        var me = actor.UserId;
        return await db.SavedViews.AsNoTracking().Where(v => v.OwnerId == me || (v.Shared && actor.IsStaff))
            .OrderBy(v => v.Name).Select(v => new SavedViewDto(v.Id, v.Name, v.Query, v.Shared, v.OwnerId == me)).ToListAsync(ct);
    }

    public async Task<SavedViewDto> CreateAsync(Actor actor, SavedViewInput input, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var name = input.Name?.Trim() ?? "";
        errors.Require(name.Length is > 0 and <= 200, "name", "Enter a name of at most 200 characters.");
        var query = IssueQuery.Parse(input.Query).ToQueryString();
        errors.Require(query.Length is > 0 and <= 2000, "query", "The view needs at least one filter, e.g. state=open&label=stage::scoping.");
        errors.Require(actor.UserId is not null, "owner", "Views belong to a signed-in person.");
        errors.Require(!input.Shared || actor.IsStaff, "shared", "Only members of the team share views.");
        errors.ThrowIfAny();
        var view = new SavedView { Id = Guid.NewGuid(), OwnerId = actor.UserId, Name = name, Query = query, Shared = input.Shared, CreatedAt = clock.GetUtcNow() };
        db.SavedViews.Add(view);
        audit.Record(actor, "saved-view", view.Id, "saved-view.created", null, new { name, query, input.Shared });
        await db.SaveChangesAsync(ct);
        return new SavedViewDto(view.Id, view.Name, view.Query, view.Shared, true);
    }

    public async Task DeleteAsync(Actor actor, Guid id, CancellationToken ct)
    {
        var view = await db.SavedViews.FirstOrDefaultAsync(v => v.Id == id && (v.OwnerId == actor.UserId || actor.IsAdministrator), ct)
            ?? throw new NotFoundException("Saved view");
        db.SavedViews.Remove(view);
        audit.Record(actor, "saved-view", view.Id, "saved-view.deleted", null, new { view.Name });
        await db.SaveChangesAsync(ct);
    }
}

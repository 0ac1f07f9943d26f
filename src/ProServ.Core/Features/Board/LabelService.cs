using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Board;

public sealed record LabelDto(Guid Id, string Name, string? Scope, string Color, string? Description)
{
    public static LabelDto From(Label l) => new(l.Id, l.Name, l.Scope, l.Color, l.Description);
}

public sealed record LabelInput(string? Name, string? Color, string? Description);

public sealed class LabelService(ProServDbContext db, AuditWriter audit, TimeProvider clock)
{
    /// Labels are the team's vocabulary (some are made for one customer, with a description about it): a customer
    /// contact gets none, and sees the labels of its own issues on those issues.
    public async Task<Paged<LabelDto>> ListAsync(Actor actor, string? search, PageRequest page, CancellationToken ct)
    {
        var p = page.Normalised();
        if (!actor.IsStaff)
        {
            return new Paged<LabelDto>([], 0, p.Page, p.PerPage);
        }
        var q = db.Labels.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var key = LabelRules.KeyOf(search);
            q = q.Where(l => l.Key.Contains(key));
        }
        var total = await q.CountAsync(ct);
        var items = await q.OrderBy(l => l.Key).Skip(p.Skip).Take(p.PerPage).ToListAsync(ct);
        return new Paged<LabelDto>(items.Select(LabelDto.From).ToList(), total, p.Page, p.PerPage);
    }

    public async Task<LabelDto> CreateAsync(Actor actor, LabelInput input, CancellationToken ct)
    {
        RequireStaff(actor);
        var errors = new ValidationErrors();
        var name = input.Name?.Trim() ?? "";
        errors.Require(LabelRules.IsValidName(name), "name", "Enter a name of at most 100 characters, without commas.");
        var color = string.IsNullOrWhiteSpace(input.Color) ? LabelRules.DefaultColor : input.Color.Trim();
        errors.Require(LabelRules.IsValidColor(color), "color", "The colour is #rrggbb.");
        errors.Require(input.Description is null || input.Description.Length <= 500, "description", "The description is at most 500 characters.");
        var key = LabelRules.KeyOf(name);
        if (name.Length > 0 && await db.Labels.AnyAsync(l => l.Key == key, ct))
        {
            errors.Add("name", "A label with this name exists already.");
        }
        errors.ThrowIfAny();
        var label = New(name, color, input.Description?.Trim());
        db.Labels.Add(label);
        audit.Record(actor, "label", label.Id, "label.created", null, new { label.Name, label.Color });
        await db.SaveChangesAsync(ct);
        return LabelDto.From(label);
    }

    /// <summary>Refusal rule: a board's column label cannot be deleted (the column would vanish with it).</summary>
    public const string LabelIsBoardColumnRule = "label-is-a-board-column";

    /// <summary>Refusal rule: stage:: labels are kept in step with engagements and cannot be deleted.</summary>
    public const string StageLabelRule = "stage-labels-follow-engagements";

    /// <summary>
    /// Deletes a label and takes it off every issue carrying it; returns how many did. Refused for a
    /// board's column and for the engagement stages' labels.
    /// </summary>
    public async Task<int> DeleteAsync(Actor actor, Guid id, CancellationToken ct)
    {
        RequireStaff(actor);
        var label = await db.Labels.FirstOrDefaultAsync(l => l.Id == id, ct) ?? throw new NotFoundException("Label");
        if (string.Equals(label.Scope, "stage", StringComparison.Ordinal))
        {
            throw new RuleViolationException(StageLabelRule,
                $"{label.Name} follows the engagements' stages (issues linked to an engagement carry their stage), so it stays.", 409);
        }
        var boards = await db.BoardColumns.Where(c => c.LabelId == id)
            .Join(db.Boards, c => c.BoardId, b => b.Id, (c, b) => b.Name).OrderBy(n => n).ToListAsync(ct);
        if (boards.Count > 0)
        {
            throw new RuleViolationException(LabelIsBoardColumnRule,
                $"{label.Name} is a column of the board{(boards.Count > 1 ? "s" : "")} {string.Join(", ", boards)}: take it off their columns first.", 409);
        }
        var issues = await db.IssueLabels.CountAsync(l => l.LabelId == id, ct);
        // The issues' rows go with it by the foreign key's ON DELETE CASCADE, in the same statement batch as the audit.
        db.Labels.Remove(label);
        audit.Record(actor, "label", label.Id, "label.deleted", null, new { label.Name, label.Color, issues });
        await db.SaveChangesAsync(ct);
        return issues;
    }

    /// <summary>How many issues carry the label (all, whoever may see them: for the team's pages).</summary>
    public Task<int> IssueCountAsync(Guid id, CancellationToken ct) => db.IssueLabels.CountAsync(l => l.LabelId == id, ct);

    public async Task<LabelDto> GetAsync(Actor actor, Guid id, CancellationToken ct) => !actor.IsStaff ? throw new NotFoundException("Label") :
        LabelDto.From(await db.Labels.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct) ?? throw new NotFoundException("Label"));

    public async Task<LabelDto> UpdateAsync(Actor actor, Guid id, LabelInput input, CancellationToken ct)
    {
        RequireStaff(actor);
        var label = await db.Labels.FirstOrDefaultAsync(l => l.Id == id, ct) ?? throw new NotFoundException("Label");
        var errors = new ValidationErrors();
        if (input.Name is not null)
        {
            var name = input.Name.Trim();
            errors.Require(LabelRules.IsValidName(name), "name", "Enter a name of at most 100 characters, without commas.");
            var key = LabelRules.KeyOf(name);
            if (key != label.Key && await db.Labels.AnyAsync(l => l.Key == key, ct))
            {
                errors.Add("name", "A label with this name exists already.");
            }
            label.Name = name;
            label.Key = key;
            label.Scope = LabelRules.ScopeOf(name);
        }
        if (input.Color is not null)
        {
            errors.Require(LabelRules.IsValidColor(input.Color.Trim()), "color", "The colour is #rrggbb.");
            label.Color = input.Color.Trim();
        }
        if (input.Description is not null)
        {
            errors.Require(input.Description.Length <= 500, "description", "The description is at most 500 characters.");
            label.Description = input.Description.Trim();
        }
        errors.ThrowIfAny();
        audit.Record(actor, "label", label.Id, "label.updated", null, new { label.Name, label.Color });
        await db.SaveChangesAsync(ct);
        return LabelDto.From(label);
    }

    /// Finds labels by name (case-insensitively), creating the missing ones when <paramref name="create"/> is set.
    /// Unknown names are reported as a validation error on <paramref name="field"/> otherwise.
    internal async Task<List<Label>> ResolveAsync(IEnumerable<string> names, bool create, ValidationErrors errors, string field, CancellationToken ct)
    {
        var wanted = names.Select(n => n.Trim()).Where(n => n.Length > 0).DistinctBy(LabelRules.KeyOf, StringComparer.Ordinal).ToList();
        var keys = wanted.Select(LabelRules.KeyOf).ToList();
        var found = keys.Count == 0 ? [] : await db.Labels.Where(l => keys.Contains(l.Key)).ToListAsync(ct);
        // Labels added to this unit of work but not saved yet.
        found.AddRange(db.ChangeTracker.Entries<Label>().Where(e => e.State == EntityState.Added && keys.Contains(e.Entity.Key))
            .Select(e => e.Entity).Where(l => found.All(f => f.Id != l.Id)));
        var result = new List<Label>();
        foreach (var name in wanted)
        {
            var key = LabelRules.KeyOf(name);
            var label = found.FirstOrDefault(l => l.Key == key);
            if (label is null)
            {
                if (!LabelRules.IsValidName(name))
                {
                    errors.Add(field, $"'{name}' is not a valid label name.");
                    continue;
                }
                if (!create)
                {
                    errors.Add(field, $"There is no label '{name}'.");
                    continue;
                }
                label = New(name, LabelRules.DefaultColor, null);
                db.Labels.Add(label);
                found.Add(label);
            }
            result.Add(label);
        }
        return result;
    }

    internal Label New(string name, string color, string? description) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        Key = LabelRules.KeyOf(name),
        Scope = LabelRules.ScopeOf(name),
        Color = color,
        Description = description,
        CreatedAt = clock.GetUtcNow(),
    };

    internal static void RequireStaff(Actor actor)
    {
        if (!actor.IsStaff)
        {
            throw new ForbiddenException("Only members of the team change the board.");
        }
    }
}

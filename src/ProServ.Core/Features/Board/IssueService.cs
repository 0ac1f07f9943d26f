using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Board;

public sealed class IssueService(
    ProServDbContext db, AuditWriter audit, TimeProvider clock, MarkdownRenderer markdown, LabelService labels,
    EngagementStageLink stageLink, IssueCommentService comments)
{
    public const long RankGap = 1L << 16;
    public const string EngagementStageRule = EngagementStageLink.Rule;

    public async Task<Paged<IssueDto>> ListAsync(Actor actor, IssueQuery query, PageRequest page, CancellationToken ct)
    {
        var q = await IssueQueryFilters.FilterAsync(db, actor, query, ct);
        var p = page.Normalised();
        var total = await q.CountAsync(ct);
        // The page's ids first (the filter and the search run once), then the issues with their labels by id.
        var ids = total == 0 ? [] : await q.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Id).Skip(p.Skip).Take(p.PerPage)
            .Select(i => i.Id).ToListAsync(ct);
        var issues = await LoadAsync(db.Issues.AsNoTracking().Where(i => ids.Contains(i.Id)), tracking: false, ct);
        var byId = issues.ToDictionary(i => i.Id);
        return new Paged<IssueDto>(await ToDtosAsync(ids.Select(id => byId[id]).ToList(), ct), total, p.Page, p.PerPage);
    }

    public async Task<IssueDto> GetAsync(Actor actor, long id, CancellationToken ct)
    {
        var issue = (await LoadAsync(IssueQueryFilters.Visible(db, actor).AsNoTracking().Where(i => i.Id == id), tracking: false, ct)).FirstOrDefault()
            ?? throw new NotFoundException("Issue");
        return (await ToDtosAsync([issue], ct))[0];
    }

    /// Loads issues with labels, assignees and customer by plain keyed queries (a join against the whole label table is what
    /// both databases plan worst).
    internal async Task<List<Issue>> LoadAsync(IQueryable<Issue> issues, bool tracking, CancellationToken ct)
    {
        var list = await issues.ToListAsync(ct);
        if (list.Count == 0) return list;
        var ids = list.Select(i => i.Id).ToList();
        var labelRows = db.IssueLabels.Where(l => EF.Parameter(ids).Contains(l.IssueId));
        var assigneeRows = db.IssueAssignees.Where(a => EF.Parameter(ids).Contains(a.IssueId));
        var customerIds = list.Where(i => i.CustomerId is not null).Select(i => i.CustomerId!.Value).Distinct().ToList();
        if (tracking)
        {
            await labelRows.Include(l => l.Label).LoadAsync(ct);
            await assigneeRows.LoadAsync(ct);
            if (customerIds.Count > 0) await db.Customers.Where(c => customerIds.Contains(c.Id)).LoadAsync(ct);
            return list;
        }
        var labels = (await labelRows.AsNoTracking().Include(l => l.Label).ToListAsync(ct)).ToLookup(l => l.IssueId);
        var assignees = (await assigneeRows.AsNoTracking().ToListAsync(ct)).ToLookup(a => a.IssueId);
        var customers = customerIds.Count == 0 ? [] : await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        foreach (var i in list)
        {
            i.Labels = labels[i.Id].ToList();
            i.Assignees = assignees[i.Id].ToList();
            i.Customer = i.CustomerId is { } c ? customers.GetValueOrDefault(c) : null;
        }
        return list;
    }

    public async Task<IssueDto> CreateAsync(Actor actor, IssueInput input, CancellationToken ct)
    {
        LabelService.RequireStaff(actor);
        var errors = new ValidationErrors();
        IssueTemplate? template = null;
        if (!string.IsNullOrWhiteSpace(input.Template))
        {
            var slug = input.Template.Trim().ToLowerInvariant();
            template = await db.IssueTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, ct);
            errors.Require(template is not null, "template", $"There is no issue template '{input.Template}'.");
        }
        var title = input.Title?.Trim() ?? "";
        errors.Require(title.Length is > 0 and <= 255, "title", "Enter a title of at most 255 characters.");
        var description = input.Description ?? template?.Body ?? "";
        errors.Require(description.Length <= 100_000, "description", "The description is at most 100,000 characters.");
        if (template is not null)
        {
            var missing = IssueTemplates.MissingSections(template, description);
            if (missing.Count > 0)
            {
                errors.Add("description", $"The {template.Name} template needs these sections filled in: {string.Join(", ", missing)}.");
            }
        }
        var type = input.Type?.Trim().ToLowerInvariant() ?? template?.Type ?? IssueType.Other;
        errors.Require(IssueType.IsKnown(type), "type", $"The type is one of: {string.Join(", ", IssueType.All)}.");
        errors.Require(input.Weight is null or >= 0 and <= 1000, "weight", "The weight is between 0 and 1000.");
        await CheckLinksAsync(actor, input.CustomerId, input.EngagementId, errors, ct);
        var assignees = await CheckAssigneesAsync(input.AssigneeIds, errors, ct);
        var labelNames = (template?.Labels.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
            .Concat(input.Labels ?? []);
        var wanted = await labels.ResolveAsync(labelNames, create: true, errors, "labels", ct);
        errors.ThrowIfAny();

        var now = clock.GetUtcNow();
        var rank = (await db.Issues.MaxAsync(i => (long?)i.Rank, ct) ?? 0) + RankGap;
        var issue = new Issue
        {
            Title = title,
            Description = description,
            DescriptionHtml = await RenderAsync(description, ct),
            Type = type,
            DueDate = input.DueDate,
            Weight = input.Weight,
            CustomerId = input.CustomerId,
            EngagementId = input.EngagementId,
            Confidential = input.Confidential ?? false,
            AuthorId = actor.UserId,
            AuthorName = actor.Name,
            Rank = rank,
            CreatedAt = now,
            UpdatedAt = now,
            Assignees = assignees.Select(a => new IssueAssignee { UserId = a }).ToList(),
        };
        var set = new List<Label>();
        foreach (var l in wanted)
        {
            LabelRules.AddExclusive(set, l);
        }
        issue.Labels = set.Select(l => new IssueLabel { LabelId = l.Id, Label = l }).ToList();
        // Joins the caller's transaction when there is one (a SOW request files its board issue atomically).
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        db.Issues.Add(issue);
        await db.SaveChangesAsync(ct);
        Activity(actor, issue.Id, "issue.created", $"created the issue{(template is null ? "" : $" from the {template.Name} template")}");
        audit.Record(actor, "issue", issue.Id, "issue.created", null,
            new { issue.Title, issue.Type, labels = set.Select(l => l.Name), issue.Confidential }, issue.CustomerId);
        audit.Publish("issue.created", new { issue.Id, issue.Title, issue.Type, issue.CustomerId, issue.Confidential });
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return await GetAsync(actor, issue.Id, ct);
    }

    public async Task<IssueDto> UpdateAsync(Actor actor, long id, IssuePatch patch, CancellationToken ct)
    {
        LabelService.RequireStaff(actor);
        var issue = (await LoadAsync(IssueQueryFilters.Visible(db, actor).Where(i => i.Id == id), tracking: true, ct)).FirstOrDefault()
            ?? throw new NotFoundException("Issue");
        if (patch.Version is { } v && v != issue.Version)
        {
            throw new ConflictException("Changed in the meantime", $"Issue #{id} was changed by someone else (version {issue.Version}, you sent {v}); reload it and try again.");
        }
        var errors = new ValidationErrors();
        var changes = new List<string>();
        if (patch.Title is not null)
        {
            var title = patch.Title.Trim();
            errors.Require(title.Length is > 0 and <= 255, "title", "Enter a title of at most 255 characters.");
            if (title != issue.Title) { issue.Title = title; changes.Add("changed the title"); }
        }
        if (patch.Description is not null && patch.Description != issue.Description)
        {
            errors.Require(patch.Description.Length <= 100_000, "description", "The description is at most 100,000 characters.");
            issue.Description = patch.Description;
            issue.DescriptionHtml = await RenderAsync(patch.Description, ct);
            changes.Add("edited the description");
        }
        if (patch.Type is not null)
        {
            var type = patch.Type.Trim().ToLowerInvariant();
            errors.Require(IssueType.IsKnown(type), "type", $"The type is one of: {string.Join(", ", IssueType.All)}.");
            if (type != issue.Type) { issue.Type = type; changes.Add($"set the type to {type}"); }
        }
        if (patch.ClearDueDate) { if (issue.DueDate is not null) { issue.DueDate = null; changes.Add("removed the due date"); } }
        else if (patch.DueDate is { } due && due != issue.DueDate) { issue.DueDate = due; changes.Add($"set the due date to {due:yyyy-MM-dd}"); }
        if (patch.ClearWeight) { issue.Weight = null; }
        else if (patch.Weight is { } w)
        {
            errors.Require(w is >= 0 and <= 1000, "weight", "The weight is between 0 and 1000.");
            issue.Weight = w;
        }
        if (patch.CustomerId is not null || patch.EngagementId is not null)
        {
            await CheckLinksAsync(actor, patch.CustomerId ?? issue.CustomerId, patch.EngagementId ?? issue.EngagementId, errors, ct);
            issue.CustomerId = patch.CustomerId ?? issue.CustomerId;
            issue.EngagementId = patch.EngagementId ?? issue.EngagementId;
        }
        string? confidentiality = null;
        if (patch.Confidential is { } conf && conf != issue.Confidential)
        {
            issue.Confidential = conf;
            confidentiality = conf ? "made the issue confidential" : "made the issue visible to the customer";
            changes.Add(confidentiality);
        }
        if (patch.State is not null)
        {
            var state = patch.State.Trim().ToLowerInvariant() switch { "close" => Issue.Closed, "reopen" => Issue.Open, var s => s };
            errors.Require(state is Issue.Open or Issue.Closed, "state", "The state is open or closed.");
            if (state is Issue.Open or Issue.Closed && state != issue.State)
            {
                SetState(issue, state);
                changes.Add(state == Issue.Closed ? "closed the issue" : "reopened the issue");
            }
        }
        if (patch.AssigneeIds is not null)
        {
            var assignees = await CheckAssigneesAsync(patch.AssigneeIds, errors, ct);
            issue.Assignees.RemoveAll(a => !assignees.Contains(a.UserId));
            foreach (var a in assignees.Where(a => issue.Assignees.All(x => x.UserId != a)))
            {
                issue.Assignees.Add(new IssueAssignee { IssueId = issue.Id, UserId = a });
            }
            changes.Add("changed the assignees");
        }
        string? stageTo = null;
        if (patch.Labels is not null || patch.AddLabels is not null || patch.RemoveLabels is not null)
        {
            var current = issue.Labels.Select(l => l.Label!).ToList();
            var before = EngagementStageLink.StageOf(current);
            if (patch.Labels is not null)
            {
                current = [];
                foreach (var l in await labels.ResolveAsync(patch.Labels, create: true, errors, "labels", ct)) LabelRules.AddExclusive(current, l);
            }
            if (patch.RemoveLabels is not null)
            {
                var remove = patch.RemoveLabels.Select(LabelRules.KeyOf).ToHashSet(StringComparer.Ordinal);
                current.RemoveAll(l => remove.Contains(l.Key));
            }
            if (patch.AddLabels is not null)
            {
                foreach (var l in await labels.ResolveAsync(patch.AddLabels, create: true, errors, "addLabels", ct)) LabelRules.AddExclusive(current, l);
            }
            stageTo = EngagementStageLink.StageChange(issue, before, current);
            var beforeIds = issue.Labels.Select(l => l.LabelId).Order().ToList();
            SetLabels(issue, current);
            if (!beforeIds.SequenceEqual(current.Select(l => l.Id).Order()))
            {
                changes.Add($"set the labels to {(current.Count == 0 ? "none" : string.Join(", ", current.Select(l => l.Name)))}");
            }
        }
        errors.ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (stageTo is not null)
        {
            await stageLink.AskEngagementAsync(actor, issue, stageTo, $"Issue #{issue.Id} labelled stage::{stageTo}", ct);
        }
        issue.UpdatedAt = clock.GetUtcNow();
        issue.Version++;
        foreach (var c in changes)
        {
            // Whether and when an issue was confidential is for the team only.
            Activity(actor, issue.Id, "issue.updated", c, isInternal: c == confidentiality);
        }
        audit.Record(actor, "issue", issue.Id, "issue.updated", null, new { changes }, issue.CustomerId);
        audit.Publish("issue.updated", new { issue.Id, changes });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Changed at the same time", $"Someone else changed issue #{id} at the same moment; reload it and try again.");
        }
        await tx.CommitAsync(ct);
        return await GetAsync(actor, id, ct);
    }

    public Task<IReadOnlyList<CommentDto>> CommentsAsync(Actor actor, long issueId, CancellationToken ct) =>
        comments.CommentsAsync(actor, issueId, ct);

    public Task<CommentDto> AddCommentAsync(Actor actor, long issueId, CommentInput input, CancellationToken ct) =>
        comments.AddCommentAsync(actor, issueId, input, ct);

    public Task<IReadOnlyList<ActivityDto>> ActivityAsync(Actor actor, long issueId, CancellationToken ct) =>
        comments.ActivityAsync(actor, issueId, ct);

    internal void Activity(Actor actor, long issueId, string action, string text, bool isInternal = false) =>
        comments.Activity(actor, issueId, action, text, isInternal);

    internal Task<Dictionary<Guid, string>> UserNamesAsync(IEnumerable<Guid> ids, CancellationToken ct) => comments.UserNamesAsync(ids, ct);

    /// Active members of the team, the people an issue can be assigned to.
    public async Task<IReadOnlyList<UserRefDto>> AssignableAsync(CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.IsActive && u.CustomerId == null).OrderBy(u => u.Name)
            .Select(u => new UserRefDto(u.Id, u.Name)).ToListAsync(ct);

    /// Makes the issue's labels exactly <paramref name="wanted"/>; returns the labels that were added.
    internal static List<Label> SetLabels(Issue issue, List<Label> wanted)
    {
        issue.Labels.RemoveAll(l => wanted.All(w => w.Id != l.LabelId));
        var added = wanted.Where(w => issue.Labels.All(l => l.LabelId != w.Id)).ToList();
        foreach (var l in added)
        {
            issue.Labels.Add(new IssueLabel { IssueId = issue.Id, LabelId = l.Id, Label = l });
        }
        return added;
    }

    internal void SetState(Issue issue, string state)
    {
        issue.State = state;
        issue.ClosedAt = state == Issue.Closed ? clock.GetUtcNow() : null;
    }

    private async Task CheckLinksAsync(Actor actor, Guid? customerId, Guid? engagementId, ValidationErrors errors, CancellationToken ct)
    {
        if (customerId is { } c && !await db.Customers.VisibleTo(actor).AnyAsync(x => x.Id == c, ct))
        {
            errors.Add("customerId", "No such customer.");
        }
        if (engagementId is { } e)
        {
            var engagementCustomer = await db.Engagements.Where(x => x.Id == e).Select(x => (Guid?)x.CustomerId).FirstOrDefaultAsync(ct);
            if (engagementCustomer is null)
            {
                errors.Add("engagementId", "No such engagement.");
            }
            else if (customerId is not null && engagementCustomer != customerId)
            {
                errors.Add("engagementId", "The engagement belongs to another customer than the issue.");
            }
        }
    }

    private async Task<List<Guid>> CheckAssigneesAsync(IReadOnlyList<Guid>? ids, ValidationErrors errors, CancellationToken ct)
    {
        var wanted = (ids ?? []).Distinct().ToList();
        if (wanted.Count == 0) return wanted;
        var found = await db.Users.Where(u => wanted.Contains(u.Id) && u.IsActive && u.CustomerId == null).Select(u => u.Id).ToListAsync(ct);
        var missing = wanted.Except(found).ToList();
        if (missing.Count > 0)
        {
            errors.Add("assigneeIds", $"Assignees are active members of the team; not: {string.Join(", ", missing)}.");
        }
        return found;
    }

    private async Task<string> RenderAsync(string text, CancellationToken ct) =>
        markdown.Render(MarkdownRenderer.LinkMentions(text, await comments.ResolveMentionsAsync(text, staffOnly: true, null, ct)));

    internal async Task<List<IssueDto>> ToDtosAsync(List<Issue> issues, CancellationToken ct)
    {
        var names = await UserNamesAsync(issues.SelectMany(i => i.Assignees.Select(a => a.UserId)), ct);
        return issues.Select(i => new IssueDto(
            i.Id, i.Title, i.Description, i.DescriptionHtml, i.Type, i.State,
            i.Labels.Where(l => l.Label is not null).Select(l => LabelDto.From(l.Label!)).OrderBy(l => l.Name, StringComparer.Ordinal).ToList(),
            i.Assignees.Select(a => new UserRefDto(a.UserId, names.GetValueOrDefault(a.UserId, ""))).ToList(),
            i.DueDate, i.Weight, i.CustomerId, i.Customer?.Name, i.EngagementId, i.Confidential, i.AuthorName,
            i.CreatedAt, i.UpdatedAt, i.ClosedAt, i.Version)).ToList();
    }
}

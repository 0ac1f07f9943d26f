using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Board;

/// The conversation on an issue: comments, the people they mention, and the activity timeline.
public sealed class IssueCommentService(ProServDbContext db, AuditWriter audit, TimeProvider clock, MarkdownRenderer markdown)
{
    public async Task<IReadOnlyList<CommentDto>> CommentsAsync(Actor actor, long issueId, CancellationToken ct)
    {
        await EnsureVisibleAsync(actor, issueId, ct);
        var q = db.IssueComments.AsNoTracking().Include(c => c.Mentions).Where(c => c.IssueId == issueId);
        if (!actor.IsStaff)
        {
            q = q.Where(c => !c.Internal);
        }
        var comments = await q.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(ct);
        var names = await UserNamesAsync(comments.SelectMany(c => c.Mentions.Select(m => m.UserId)), ct);
        return comments.Select(c => ToDto(c, names)).ToList();
    }

    public async Task<CommentDto> AddCommentAsync(Actor actor, long issueId, CommentInput input, CancellationToken ct)
    {
        var issue = await IssueQueryFilters.Visible(db, actor).AsNoTracking().FirstOrDefaultAsync(i => i.Id == issueId, ct) ?? throw new NotFoundException("Issue");
        if (input.Internal && !actor.IsStaff)
        {
            throw new ForbiddenException("Internal comments are for members of the team.");
        }
        var body = input.Body?.Trim() ?? "";
        var errors = new ValidationErrors();
        errors.Require(body.Length is > 0 and <= 50_000, "body", "Write a comment of at most 50,000 characters.");
        errors.ThrowIfAny();

        var mentioned = await ResolveMentionsAsync(body, staffOnly: input.Internal, issue.CustomerId, ct);
        var comment = new IssueComment
        {
            IssueId = issueId,
            AuthorId = actor.UserId,
            AuthorName = actor.Name,
            Body = body,
            BodyHtml = markdown.Render(MarkdownRenderer.LinkMentions(body, mentioned)),
            Internal = input.Internal,
            CreatedAt = clock.GetUtcNow(),
            Mentions = mentioned.Values.Distinct().Select(u => new CommentMention { UserId = u }).ToList(),
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.IssueComments.Add(comment);
        Activity(actor, issueId, "comment.added", input.Internal ? "added an internal comment" : "commented", input.Internal);
        audit.Record(actor, "issue", issueId, "comment.added", null, new { internalComment = input.Internal }, issue.CustomerId);
        if (comment.Mentions.Count > 0)
        {
            audit.Publish("issue.mentioned", new { issueId, userIds = comment.Mentions.Select(m => m.UserId), internalComment = input.Internal });
        }
        await db.SaveChangesAsync(ct);
        // Appended in SQL so that two comments at once both reach the search text.
        var now = clock.GetUtcNow();
        var text = "\n" + body;
        if (input.Internal)
        {
            await db.Issues.Where(i => i.Id == issueId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.InternalCommentText, i => i.InternalCommentText + text).SetProperty(i => i.UpdatedAt, now), ct);
        }
        else
        {
            await db.Issues.Where(i => i.Id == issueId).ExecuteUpdateAsync(s => s
                .SetProperty(i => i.PublicCommentText, i => i.PublicCommentText + text).SetProperty(i => i.UpdatedAt, now), ct);
        }
        await tx.CommitAsync(ct);
        var names = await UserNamesAsync(comment.Mentions.Select(m => m.UserId), ct);
        return ToDto(comment, names);
    }

    public async Task<IReadOnlyList<ActivityDto>> ActivityAsync(Actor actor, long issueId, CancellationToken ct)
    {
        await EnsureVisibleAsync(actor, issueId, ct);
        var q = db.IssueActivities.AsNoTracking().Where(a => a.IssueId == issueId);
        if (!actor.IsStaff)
        {
            q = q.Where(a => !a.Internal);
        }
        return await q.OrderBy(a => a.At).ThenBy(a => a.Id)
            .Select(a => new ActivityDto(a.Id, a.At, a.ActorName, a.Action, a.Text)).ToListAsync(ct);
    }

    internal void Activity(Actor actor, long issueId, string action, string text, bool isInternal = false) =>
        db.IssueActivities.Add(new IssueActivity
        {
            IssueId = issueId,
            At = clock.GetUtcNow(),
            ActorId = actor.UserId,
            ActorName = actor.Name,
            Action = action,
            Text = text,
            Internal = isInternal,
        });

    private async Task EnsureVisibleAsync(Actor actor, long issueId, CancellationToken ct)
    {
        if (!await IssueQueryFilters.Visible(db, actor).AnyAsync(i => i.Id == issueId, ct))
        {
            throw new NotFoundException("Issue");
        }
    }

    /// @handle → user id, for the part of an active user's e-mail address before the @. Customer contacts are mentionable only
    /// in public comments on their own customer's issues.
    internal async Task<Dictionary<string, Guid>> ResolveMentionsAsync(string text, bool staffOnly, Guid? customerId, CancellationToken ct)
    {
        var result = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var handle in MarkdownRenderer.Mentions(text).Take(20))
        {
            var prefix = (handle + "@").ToUpperInvariant();
            var length = prefix.Length;
            var user = await db.Users.AsNoTracking()
                .Where(u => u.IsActive && u.NormalizedEmail != null && u.NormalizedEmail.Substring(0, length) == prefix)
                .Where(u => u.CustomerId == null || (!staffOnly && u.CustomerId == customerId))
                .OrderBy(u => u.NormalizedEmail).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
            if (user is { } id)
            {
                result[handle] = id;
            }
        }
        return result;
    }

    internal async Task<Dictionary<Guid, string>> UserNamesAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return list.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => list.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
    }

    private static CommentDto ToDto(IssueComment c, Dictionary<Guid, string> names) => new(
        c.Id, c.IssueId, c.AuthorId, c.AuthorName, c.Body, c.BodyHtml, c.Internal, c.CreatedAt,
        c.Mentions.Select(m => new UserRefDto(m.UserId, names.GetValueOrDefault(m.UserId, ""))).ToList());
}

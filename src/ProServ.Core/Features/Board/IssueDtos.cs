namespace ProServ.Core.Features.Board;

public sealed record UserRefDto(Guid Id, string Name);

public sealed record IssueDto(
    long Id, string Title, string Description, string DescriptionHtml, string Type, string State,
    IReadOnlyList<LabelDto> Labels, IReadOnlyList<UserRefDto> Assignees, DateOnly? DueDate, int? Weight,
    Guid? CustomerId, string? CustomerName, Guid? EngagementId, bool Confidential, string AuthorName,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ClosedAt, int Version);

public sealed record IssueInput(
    string? Title, string? Description, string? Type, IReadOnlyList<string>? Labels, IReadOnlyList<Guid>? AssigneeIds,
    DateOnly? DueDate, int? Weight, Guid? CustomerId, Guid? EngagementId, bool? Confidential, string? Template = null);

/// A partial change: null leaves a field as it is. Labels replaces the set; AddLabels and RemoveLabels edit it.
public sealed record IssuePatch(
    string? Title = null, string? Description = null, string? Type = null, IReadOnlyList<string>? Labels = null,
    IReadOnlyList<string>? AddLabels = null, IReadOnlyList<string>? RemoveLabels = null, IReadOnlyList<Guid>? AssigneeIds = null,
    DateOnly? DueDate = null, bool ClearDueDate = false, int? Weight = null, bool ClearWeight = false,
    Guid? CustomerId = null, Guid? EngagementId = null, bool? Confidential = null, string? State = null, int? Version = null);

public sealed record CommentInput(string? Body, bool Internal = false);

public sealed record CommentDto(
    long Id, long IssueId, Guid? AuthorId, string AuthorName, string Body, string BodyHtml, bool Internal,
    DateTimeOffset CreatedAt, IReadOnlyList<UserRefDto> Mentions);

public sealed record ActivityDto(long Id, DateTimeOffset At, string ActorName, string Action, string Text);

/// Issues of the PS board: the one place their rules live (visibility, scoped labels, Markdown, comments, history).

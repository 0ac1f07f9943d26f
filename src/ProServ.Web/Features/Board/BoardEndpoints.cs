using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Board;

/// The PS board's API: issues (with comments and history), labels, boards and card moves, issue templates, saved views.
/// Reading is open to every signed-in caller (a customer contact sees only its customer's non-confidential issues and no
/// internal comments); changing the board is for the team.
internal static class BoardEndpoints
{
    public static void MapBoard(this IEndpointRouteBuilder app)
    {
        var issues = app.MapApi("/issues", "Board");
        issues.MapGet("/", ListIssues).WithName("ListIssues")
            .WithSummary("Issues the caller may see, filtered: full-text search over titles, descriptions and comments; label may repeat (all must match).");
        issues.MapPost("/", CreateIssue).WithName("CreateIssue").RequireAuthorization(AuthorizationPolicies.Staff)
            .WithSummary("Creates an issue; with template, the template's body, type and labels apply and its required sections must be filled in.");
        issues.MapGet("/{id:long}", GetIssue).WithName("GetIssue");
        issues.MapPatch("/{id:long}", UpdateIssue).WithName("UpdateIssue").RequireAuthorization(AuthorizationPolicies.Staff)
            .WithSummary("Changes an issue; adding a scoped label (scope::value) removes the other label of that scope.");
        issues.MapGet("/{id:long}/comments", ListComments).WithName("ListIssueComments");
        issues.MapPost("/{id:long}/comments", AddComment).WithName("AddIssueComment")
            .WithSummary("Adds a Markdown comment; @handle (the part of a user's e-mail before the @) mentions a user. Internal comments are for the team only.");
        issues.MapGet("/{id:long}/activity", Activity).WithName("IssueActivity");

        var labels = app.MapApi("/labels", "Board");
        labels.MapGet("/", ListLabels).WithName("ListLabels");
        labels.MapPost("/", CreateLabel).WithName("CreateLabel").RequireAuthorization(AuthorizationPolicies.Staff);
        labels.MapPatch("/{id:guid}", UpdateLabel).WithName("UpdateLabel").RequireAuthorization(AuthorizationPolicies.Staff);
        labels.MapDelete("/{id:guid}", DeleteLabel).WithName("DeleteLabel").RequireAuthorization(AuthorizationPolicies.Staff)
            .WithSummary("Deletes a label and takes it off its issues; 409 with rule label-is-a-board-column or stage-labels-follow-engagements.");

        var boards = app.MapApi("/boards", "Board");
        boards.MapGet("/", ListBoards).WithName("ListBoards");
        boards.MapPost("/", CreateBoard).WithName("CreateBoard").RequireAuthorization(AuthorizationPolicies.Staff)
            .WithSummary("Creates a board: columns are label names (Open and Closed come by themselves); filter is an issue query string such as type=strategic-initiative.");
        boards.MapGet("/{id:guid}", ViewBoard).WithName("GetBoard")
            .WithSummary("The board with its columns and their cards in order, as the caller may see them; the issue filters narrow it further.");
        boards.MapPatch("/{id:guid}", UpdateBoard).WithName("UpdateBoard").RequireAuthorization(AuthorizationPolicies.Staff);
        boards.MapDelete("/{id:guid}", DeleteBoard).WithName("DeleteBoard").RequireAuthorization(AuthorizationPolicies.Staff);
        boards.MapPost("/{id:guid}/moves", Move).WithName("MoveCard").RequireAuthorization(AuthorizationPolicies.Staff)
            .WithSummary("Moves a card to a column (a label name, open or closed) at a 0-based position. Moving to a stage column asks the linked engagement to transition; its refusal is the answer and the card stays.");

        var templates = app.MapApi("/issue-templates", "Board");
        templates.MapGet("/", ListTemplates).WithName("ListIssueTemplates");
        templates.MapGet("/{slug}", GetTemplate).WithName("GetIssueTemplate");
        templates.MapPut("/{slug}", SaveTemplate).WithName("SaveIssueTemplate").RequireAuthorization(AuthorizationPolicies.Staff);

        var views = app.MapApi("/views", "Board");
        views.MapGet("/", ListViews).WithName("ListSavedViews").WithSummary("The caller's saved issue filters and the team's shared ones; /board/issues?{query} is a view's page.");
        views.MapPost("/", CreateView).WithName("CreateSavedView");
        views.MapDelete("/{id:guid}", DeleteView).WithName("DeleteSavedView");
    }

    private static async Task<Ok<PageDto<IssueDto>>> ListIssues(ClaimsPrincipal user, IssueService issues,
        string? search, string? type, string[]? label, string? assignee, Guid? customerId, Guid? engagementId, string? state,
        DateOnly? dueBefore, int? page, int? perPage, CancellationToken ct) =>
        TypedResults.Ok(PageDto<IssueDto>.From(await issues.ListAsync(user.Actor(),
            new IssueQuery(search, type, label, assignee, customerId, state, dueBefore, engagementId), ApiConventions.Paging(page, perPage), ct)));

    private static async Task<Created<IssueDto>> CreateIssue(IssueInput input, ClaimsPrincipal user, IssueService issues, CancellationToken ct)
    {
        var issue = await issues.CreateAsync(user.Actor(), input, ct);
        return TypedResults.Created($"/api/v1/issues/{issue.Id}", issue);
    }

    private static async Task<Ok<IssueDto>> GetIssue(long id, ClaimsPrincipal user, IssueService issues, CancellationToken ct) =>
        TypedResults.Ok(await issues.GetAsync(user.Actor(), id, ct));

    private static async Task<Ok<IssueDto>> UpdateIssue(long id, IssuePatch patch, ClaimsPrincipal user, IssueService issues, CancellationToken ct) =>
        TypedResults.Ok(await issues.UpdateAsync(user.Actor(), id, patch, ct));

    private static async Task<Ok<IReadOnlyList<CommentDto>>> ListComments(long id, ClaimsPrincipal user, IssueService issues, CancellationToken ct) =>
        TypedResults.Ok(await issues.CommentsAsync(user.Actor(), id, ct));

    private static async Task<Created<CommentDto>> AddComment(long id, CommentInput input, ClaimsPrincipal user, IssueService issues, CancellationToken ct)
    {
        var comment = await issues.AddCommentAsync(user.Actor(), id, input, ct);
        return TypedResults.Created($"/api/v1/issues/{id}/comments", comment);
    }

    private static async Task<Ok<IReadOnlyList<ActivityDto>>> Activity(long id, ClaimsPrincipal user, IssueService issues, CancellationToken ct) =>
        TypedResults.Ok(await issues.ActivityAsync(user.Actor(), id, ct));

    private static async Task<Ok<PageDto<LabelDto>>> ListLabels(ClaimsPrincipal user, LabelService labels, string? search, int? page, int? perPage, CancellationToken ct) =>
        TypedResults.Ok(PageDto<LabelDto>.From(await labels.ListAsync(user.Actor(), search, ApiConventions.Paging(page, perPage), ct)));

    private static async Task<Created<LabelDto>> CreateLabel(LabelInput input, ClaimsPrincipal user, LabelService labels, CancellationToken ct)
    {
        var label = await labels.CreateAsync(user.Actor(), input, ct);
        return TypedResults.Created($"/api/v1/labels/{label.Id}", label);
    }

    private static async Task<Ok<LabelDto>> UpdateLabel(Guid id, LabelInput input, ClaimsPrincipal user, LabelService labels, CancellationToken ct) =>
        TypedResults.Ok(await labels.UpdateAsync(user.Actor(), id, input, ct));

    private static async Task<NoContent> DeleteLabel(Guid id, ClaimsPrincipal user, LabelService labels, CancellationToken ct)
    {
        await labels.DeleteAsync(user.Actor(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<BoardDto>>> ListBoards(ClaimsPrincipal user, BoardService boards, CancellationToken ct) =>
        TypedResults.Ok(await boards.ListAsync(user.Actor(), ct));

    private static async Task<Created<BoardDto>> CreateBoard(BoardInput input, ClaimsPrincipal user, BoardService boards, CancellationToken ct)
    {
        var board = await boards.CreateAsync(user.Actor(), input, ct);
        return TypedResults.Created($"/api/v1/boards/{board.Id}", board);
    }

    private static async Task<Ok<BoardViewDto>> ViewBoard(Guid id, ClaimsPrincipal user, BoardService boards,
        string? search, string? type, string[]? label, string? assignee, Guid? customerId, DateOnly? dueBefore, int? perColumn, CancellationToken ct) =>
        TypedResults.Ok(await boards.ViewAsync(user.Actor(), id,
            new IssueQuery(search, type, label, assignee, customerId, null, dueBefore), perColumn ?? BoardService.DefaultCardsPerColumn, ct));

    private static async Task<Ok<BoardDto>> UpdateBoard(Guid id, BoardInput input, ClaimsPrincipal user, BoardService boards, CancellationToken ct) =>
        TypedResults.Ok(await boards.UpdateAsync(user.Actor(), id, input, ct));

    private static async Task<NoContent> DeleteBoard(Guid id, ClaimsPrincipal user, BoardService boards, CancellationToken ct)
    {
        await boards.DeleteAsync(user.Actor(), id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MoveResult>> Move(Guid id, MoveInput input, ClaimsPrincipal user, BoardService boards, CancellationToken ct) =>
        TypedResults.Ok(await boards.MoveAsync(user.Actor(), id, input, ct));

    private static async Task<Ok<IReadOnlyList<IssueTemplateDto>>> ListTemplates(IssueTemplateService templates, CancellationToken ct) =>
        TypedResults.Ok(await templates.ListAsync(ct));

    private static async Task<Ok<IssueTemplateDto>> GetTemplate(string slug, IssueTemplateService templates, CancellationToken ct) =>
        TypedResults.Ok(await templates.GetAsync(slug, ct));

    private static async Task<Ok<IssueTemplateDto>> SaveTemplate(string slug, IssueTemplateInput input, ClaimsPrincipal user, IssueTemplateService templates, CancellationToken ct) =>
        TypedResults.Ok(await templates.SaveAsync(user.Actor(), input with { Slug = slug }, ct));

    private static async Task<Ok<IReadOnlyList<SavedViewDto>>> ListViews(ClaimsPrincipal user, SavedViewService views, CancellationToken ct) =>
        TypedResults.Ok(await views.ListAsync(user.Actor(), ct));

    private static async Task<Created<SavedViewDto>> CreateView(SavedViewInput input, ClaimsPrincipal user, SavedViewService views, CancellationToken ct)
    {
        var view = await views.CreateAsync(user.Actor(), input, ct);
        return TypedResults.Created($"/api/v1/views/{view.Id}", view);
    }

    private static async Task<NoContent> DeleteView(Guid id, ClaimsPrincipal user, SavedViewService views, CancellationToken ct)
    {
        await views.DeleteAsync(user.Actor(), id, ct);
        return TypedResults.NoContent();
    }
}

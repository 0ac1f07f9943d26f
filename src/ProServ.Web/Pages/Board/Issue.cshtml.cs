using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// One issue: its Markdown rendered (sanitised on write), comments, history; the team edits it here.
public sealed class IssueModel(IssueService issues, IAuthorizationService authz) : ProServPageModel
{
    [FromRoute]
    public long Id { get; set; }

    public IssueDto Issue { get; private set; } = null!;
    public IReadOnlyList<CommentDto> Comments { get; private set; } = [];
    public IReadOnlyList<ActivityDto> Activity { get; private set; } = [];
    public bool IsStaff { get; private set; }
    public IReadOnlyList<UserRefDto> Team { get; private set; } = [];

    [BindProperty]
    public CommentForm Comment { get; set; } = new();

    [BindProperty]
    public EditForm Edit { get; set; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Edit = EditForm.From(Issue);
    }

    public async Task<IActionResult> OnPostCommentAsync(CancellationToken ct)
    {
        InputPrefix = "Comment";
        await issues.AddCommentAsync(Actor, Id, new CommentInput(Comment.Body, Comment.Internal), ct);
        Flash(Comment.Internal ? "Internal comment added." : "Comment added.");
        return Redirect($"/board/issues/{Id}#comments");
    }

    public async Task<IActionResult> OnPostEditAsync(CancellationToken ct)
    {
        InputPrefix = "Edit";
        await issues.UpdateAsync(Actor, Id, new IssuePatch(
            Title: Edit.Title, Description: Edit.Description ?? "", Type: Edit.Type, Labels: BoardUi.Labels(Edit.Labels),
            AssigneeIds: Edit.AssigneeIds,
            DueDate: Edit.DueDate, ClearDueDate: Edit.DueDate is null, Weight: Edit.Weight, ClearWeight: Edit.Weight is null,
            Confidential: Edit.Confidential, State: Edit.State, Version: Edit.Version), ct);
        Flash("Issue saved.");
        return Redirect($"/board/issues/{Id}");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        IsStaff = (await authz.AuthorizeAsync(User, AuthorizationPolicies.Staff)).Succeeded;
        Issue = await issues.GetAsync(Actor, Id, ct);
        Comments = await issues.CommentsAsync(Actor, Id, ct);
        Activity = await issues.ActivityAsync(Actor, Id, ct);
        Team = IsStaff ? await issues.AssignableAsync(ct) : [];
    }

    public sealed class CommentForm
    {
        public string? Body { get; set; }
        public bool Internal { get; set; }
    }

    public sealed class EditForm
    {
        public string? Title { get; set; }
        public string? Description { get; set; }
        public string? Type { get; set; }
        public string? Labels { get; set; }
        public DateOnly? DueDate { get; set; }
        public int? Weight { get; set; }
        public bool Confidential { get; set; }
        public string? State { get; set; }
        public int Version { get; set; }
        public List<Guid> AssigneeIds { get; set; } = [];

        public static EditForm From(IssueDto i) => new()
        {
            AssigneeIds = i.Assignees.Select(a => a.Id).ToList(),
            Title = i.Title,
            Description = i.Description,
            Type = i.Type,
            Labels = string.Join(", ", i.Labels.Select(l => l.Name)),
            DueDate = i.DueDate,
            Weight = i.Weight,
            Confidential = i.Confidential,
            State = i.State,
            Version = i.Version,
        };
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Engagements;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Engagements;

public sealed class DetailsModel(EngagementService engagements, AuditService audit, IAuthorizationService authz) : ProServPageModel
{
    /// The happy path an engagement walks; cancelled is the side exit from any open stage.
    public static readonly IReadOnlyList<string> Path =
    [
        EngagementStage.Requested, EngagementStage.Scoping, EngagementStage.Quoted, EngagementStage.SowReview,
        EngagementStage.Signed, EngagementStage.Scheduled, EngagementStage.InDelivery, EngagementStage.Closed,
    ];

    [FromRoute]
    public Guid Id { get; set; }

    [FromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty]
    public TransitionForm Transition { get; set; } = new();

    public EngagementDto Engagement { get; private set; } = null!;
    public Paged<AuditEventDto> History { get; private set; } = new([], 0, 1, 25);
    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostTransitionAsync(CancellationToken ct)
    {
        InputPrefix = "Transition";
        await LoadAsync(ct);
        if (!CanManage) return Forbid();
        try
        {
            var moved = await engagements.TransitionAsync(Actor, Id, Transition.To, Transition.Reason, ct);
            Flash($"Moved to {Format.Label(moved.Stage)}.");
            return Redirect($"/engagements/{Id}");
        }
        catch (Exception e) when (e is ConflictException or RuleViolationException or ValidationFailedException)
        {
            // The page shows the refusal in place; reload so the stage and the choices are the current ones.
            await LoadAsync(ct);
            throw;
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, Policies.ManageAccounts)).Succeeded;
        Engagement = await engagements.GetAsync(Actor, Id, ct);
        History = await audit.ListAsync(Actor, new AuditQuery(EntityType: "engagement", EntityId: Id.ToString()),
            Paging(PageNumber, 25), ct);
    }

    public sealed class TransitionForm
    {
        public string? To { get; set; }
        public string? Reason { get; set; }
    }
}

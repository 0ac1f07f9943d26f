using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Engagements;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Engagements;

/// The one page of an engagement: its summary, stage and history, and a section from every feature that has
/// something to show or do for it (<see cref="IEngagementSection"/>). A section's forms post here with the handler
/// the section answers, and the page passes them on.
public sealed class DetailsModel(
    EngagementService engagements, AuditService audit, IAuthorizationService authz, IEnumerable<IEngagementSection> sections)
    : ProServPageModel
{
    /// The happy path an engagement walks; cancelled is the side exit from any open stage.
    public static readonly IReadOnlyList<string> Path =
    [
        EngagementStage.Requested, EngagementStage.Scoping, EngagementStage.Quoted, EngagementStage.SowReview,
        EngagementStage.Signed, EngagementStage.Scheduled, EngagementStage.InDelivery, EngagementStage.Closed,
    ];

    private readonly IReadOnlyList<IEngagementSection> _sections = sections.OrderBy(s => s.Order).ToList();
    private EngagementSectionContext? _context;

    [FromRoute]
    public Guid Id { get; set; }

    [FromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    [BindProperty]
    public TransitionForm Transition { get; set; } = new();

    public EngagementDto Engagement { get; private set; } = null!;
    public Paged<AuditEventDto> History { get; private set; } = new([], 0, 1, 25);
    public bool CanManage { get; private set; }

    /// The sections the user may see, in page order, each with what its partial shows.
    public IReadOnlyList<(IEngagementSection Section, object Model)> Sections { get; private set; } = [];

    /// Which form a refusal belongs to, so it is shown next to that form.
    public string? RefusedForm { get; internal set; }

    private EngagementSectionContext Context => _context ??= new EngagementSectionContext(this, authz);

    internal Actor CurrentActor => Actor;

    /// The page, or a section's download (?handler=File).
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (SectionFor(HandlerName) is { } section)
        {
            return await section.HandleAsync(Context, HandlerName!, ct);
        }
        await LoadAsync(ct);
        return Page();
    }

    /// A section's form.
    public async Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        SectionFor(HandlerName) is { } section ? await section.HandleAsync(Context, HandlerName!, ct) : NotFound();

    public async Task<IActionResult> OnPostTransitionAsync(CancellationToken ct)
    {
        RefusedForm = "transition";
        InputPrefix = "Transition";
        // Someone else's engagement is not found before it is forbidden.
        Engagement = await engagements.GetAsync(Actor, Id, ct);
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
        if (!CanManage) return Forbid();
        var moved = await engagements.TransitionAsync(Actor, Id, Transition.To, Transition.Reason, ct);
        Flash($"Moved to {Format.Label(moved.Stage)}.");
        return Redirect($"/engagements/{Id}");
    }

    /// The page shows the refusal in place; reload so the stage, the choices and every section are the current ones.
    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    internal void FlashOnNextPage(string message) => Flash(message);

    internal void SetInputPrefix(string prefix) => InputPrefix = prefix;

    internal Task<bool> BindFormAsync<T>(T form, string prefix) where T : class => TryUpdateModelAsync(form, prefix);

    private string? HandlerName =>
        RouteData.Values.TryGetValue("handler", out var h) && h is string routed ? routed : Request.Query["handler"].FirstOrDefault();

    private IEngagementSection? SectionFor(string? handler) =>
        handler is null ? null : _sections.FirstOrDefault(s => s.Handlers.Contains(handler, StringComparer.OrdinalIgnoreCase));

    private async Task LoadAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
        Engagement = await engagements.GetAsync(Actor, Id, ct);
        History = await audit.ListAsync(Actor, new AuditQuery(EntityType: "engagement", EntityId: Id.ToString()),
            Paging(PageNumber, 25), ct);
        var shown = new List<(IEngagementSection, object)>();
        foreach (var section in _sections)
        {
            if (section.Policy is null || await Context.IsAllowedAsync(section.Policy))
            {
                shown.Add((section, await section.LoadAsync(Context, ct)));
            }
        }
        Sections = shown;
    }

    public sealed class TransitionForm
    {
        public string? To { get; set; }
        public string? Reason { get; set; }
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.SowDocuments;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.SowDocuments;

/// The mark-up review: each tracked insertion, deletion and comment with accept and reject, and the comparison
/// of a version with the one before it.
public sealed class ReviewModel(SowDocumentService docs, EngagementService engagements, IAuthorizationService authz) : SowDocumentPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    /// The version compared with its predecessor; the latest when absent.
    [FromQuery(Name = "version")]
    public int? Version { get; set; }

    public EngagementDto Engagement { get; private set; } = null!;
    public IReadOnlyList<SowVersionDto> Versions { get; private set; } = [];
    public IReadOnlyList<SowChangeDto> Pending { get; private set; } = [];
    public IReadOnlyList<SowChangeDto> Decided { get; private set; } = [];
    public SowComparison? Comparison { get; private set; }
    public bool CanDecide { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public Task<IActionResult> OnPostAcceptAsync(Guid changeId, string? reason, CancellationToken ct) => DecideAsync(changeId, true, reason, ct);

    public Task<IActionResult> OnPostRejectAsync(Guid changeId, string? reason, CancellationToken ct) => DecideAsync(changeId, false, reason, ct);

    private async Task<IActionResult> DecideAsync(Guid changeId, bool accept, string? reason, CancellationToken ct)
    {
        InputPrefix = "";
        await LoadAsync(ct);
        if (!CanDecide) return Forbid();
        var r = await docs.DecideAsync(Actor, Id, changeId, accept, reason, ct);
        Flash($"{(accept ? "Accepted" : "Rejected")} the {r.Change.Kind} by {r.Change.Author ?? "unknown"}: version {r.Version.Number} is the result.");
        return Redirect($"/engagements/{Id}/sow/review");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CanDecide = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
        Engagement = await engagements.GetAsync(Actor, Id, ct);
        Versions = await docs.ListVersionsAsync(Actor, Id, ct);
        var changes = await docs.ListChangesAsync(Actor, Id, null, ct);
        Pending = changes.Where(c => c.Status == SowChangeStatus.Pending).OrderBy(c => c.Ordinal).ToList();
        Decided = changes.Where(c => c.Status != SowChangeStatus.Pending).OrderByDescending(c => c.DecidedAt).ThenBy(c => c.Ordinal).ToList();
        var number = Version ?? (Versions.Count > 0 ? Versions[^1].Number : (int?)null);
        if (number is { } n && Versions.Any(v => v.Number == n))
        {
            Version = n;
            Comparison = await docs.CompareAsync(Actor, Id, n, ct);
        }
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.SowDocuments;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.SowDocuments;

/// The SOW of an engagement: the draft from current data, every kept version with its downloads, generating a
/// version, and uploading the customer's mark-up.
public sealed class DocumentsModel(
    SowDocumentService docs, EngagementService engagements, IAuthorizationService authz, IOptions<SowDocumentOptions> options,
    IPdfRenderer pdf) : SowDocumentPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    public EngagementDto Engagement { get; private set; } = null!;
    public IReadOnlyList<SowVersionDto> Versions { get; private set; } = [];
    public bool CanManage { get; private set; }
    public string? PdfUnavailable => pdf.Unavailable;
    public long MaxUploadMb => options.Value.MaxUploadBytes / (1024 * 1024);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// ?handler=file&format=docx|html|pdf[&version=N]: the draft, or a kept version.
    public async Task<IActionResult> OnGetFileAsync(string? format, int? version, CancellationToken ct) =>
        AsFile(await docs.RenderAsync(Actor, Id, format, version, ct));

    public async Task<IActionResult> OnPostGenerateAsync(string? note, CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanManage) return Forbid();
        var v = await docs.CreateVersionAsync(Actor, Id, note, ct);
        Flash($"Version {v.Number} generated from the current data.");
        return Redirect($"/engagements/{Id}/sow");
    }

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, CancellationToken ct)
    {
        InputPrefix = "";
        await LoadAsync(ct);
        var (name, bytes) = await ReadAsync(file, options.Value, ct);
        var result = await docs.UploadMarkupAsync(Actor, Id, name, bytes, ct);
        Flash($"Mark-up kept as version {result.Version.Number} with {result.Changes.Count} change{(result.Changes.Count == 1 ? "" : "s")} to review.");
        return Redirect($"/engagements/{Id}/sow/review");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
        Engagement = await engagements.GetAsync(Actor, Id, ct);
        Versions = await docs.ListVersionsAsync(Actor, Id, ct);
    }
}

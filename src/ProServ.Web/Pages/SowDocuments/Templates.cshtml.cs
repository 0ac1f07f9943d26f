using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ProServ.Core.Features.SowDocuments;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.SowDocuments;

/// The SOW template: its versions (downloadable), the merge fields it may use, and the upload for administrators.
[Authorize(Policy = AuthorizationPolicies.Staff)]
public sealed class TemplatesModel(SowTemplateService templates, IAuthorizationService authz, IOptions<SowDocumentOptions> options) : SowDocumentPageModel
{
    public IReadOnlyList<SowDocumentTemplateDto> Versions { get; private set; } = [];
    public bool IsAdministrator { get; private set; }
    public long MaxUploadMb => options.Value.MaxUploadBytes / (1024 * 1024);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// ?handler=file[&number=N]: an uploaded version, or the built-in template.
    public async Task<IActionResult> OnGetFileAsync(int? number, CancellationToken ct) =>
        AsFile(await templates.FileAsync(Actor, number, ct));

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, string? note, CancellationToken ct)
    {
        InputPrefix = "";
        await LoadAsync(ct);
        if (!IsAdministrator) return Forbid();
        var (name, bytes) = await ReadAsync(file, options.Value, ct);
        var t = await templates.UploadAsync(Actor, name, bytes, note, ct);
        Flash($"Template version {t.Number} is now used for every new SOW.");
        return Redirect("/sow/templates");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        await LoadAsync(HttpContext.RequestAborted);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        IsAdministrator = (await authz.AuthorizeAsync(User, AuthorizationPolicies.Administrator)).Succeeded;
        Versions = await templates.ListAsync(Actor, ct);
    }
}

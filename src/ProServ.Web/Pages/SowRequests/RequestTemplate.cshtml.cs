using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.SowRequests;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.SowRequests;

/// The administrator's editor of the SOW request template; every save is a new version.
[Authorize(Policy = AuthorizationPolicies.Administrator)]
public sealed class RequestTemplateModel(SowRequestService requests) : ProServPageModel
{
    [BindProperty]
    public List<FieldForm> Fields { get; set; } = [];

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public IReadOnlyList<SowRequestTemplateDto> Versions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var current = await requests.GetTemplateAsync(ct);
        Version = current.Version;
        Fields = current.Fields.Select(f => new FieldForm { Key = f.Key, Label = f.Label, Help = f.Help, Required = f.Required }).ToList();
        Versions = await requests.TemplateVersionsAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        InputPrefix = "";
        var saved = await requests.UpdateTemplateAsync(Actor,
            new SowTemplateInput(Fields.Select(f => new TemplateField(f.Key ?? "", f.Label ?? "", f.Help ?? "", f.Required ?? "")).ToList(), Version, Note), ct);
        Flash($"Template saved as version {saved.Version}.");
        return Redirect("/sow/template");
    }

    protected override async Task<IActionResult> OnRefusedAsync()
    {
        Versions = await requests.TemplateVersionsAsync(HttpContext.RequestAborted);
        return Page();
    }

    public sealed class FieldForm
    {
        public string? Key { get; set; }
        public string? Label { get; set; }
        public string? Help { get; set; }
        public string? Required { get; set; }
    }
}

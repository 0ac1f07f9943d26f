using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Board;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Board;

/// Creates (slug "new") or edits an issue template.
[Authorize(Policy = AuthorizationPolicies.Staff)]
public sealed class TemplateModel(IssueTemplateService templates) : ProServPageModel
{
    public const string NewSlug = "new";

    [FromRoute] public string Slug { get; set; } = "";
    [BindProperty] public TemplateForm Input { get; set; } = new();

    public bool IsNew => Slug == NewSlug;

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (IsNew)
        {
            return;
        }
        var t = await templates.GetAsync(Slug, ct);
        Input = new TemplateForm
        {
            Slug = t.Slug,
            Name = t.Name,
            Type = t.Type,
            Body = t.Body,
            RequiredSections = string.Join('\n', t.RequiredSections),
            Labels = string.Join('\n', t.Labels),
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var slug = IsNew ? Input.Slug : Slug;
        if (IsNew && string.Equals(slug?.Trim(), NewSlug, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError("Input.Slug", "“new” is reserved; choose another slug.");
            return Page();
        }
        var saved = await templates.SaveAsync(Actor, new IssueTemplateInput(slug, Input.Name, Input.Type, Input.Body,
            IssueTemplates.Lines(Input.RequiredSections ?? ""), IssueTemplates.Lines(Input.Labels ?? "")), ct);
        Flash($"Template {saved.Name} saved.");
        return Redirect("/board/templates");
    }

    public sealed class TemplateForm
    {
        public string? Slug { get; set; }
        public string? Name { get; set; }
        public string? Type { get; set; }
        public string? Body { get; set; }
        public string? RequiredSections { get; set; }
        public string? Labels { get; set; }
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Catalog;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Catalog;

[Authorize(Policy = AuthorizationPolicies.ManageCatalog)]
public sealed class NewModel(CatalogService catalog) : ProServPageModel
{
    [BindProperty]
    public NewOfferingForm Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var created = await catalog.CreateOfferingAsync(Actor,
            new OfferingInput(Input.Slug, Input.Name, Input.Category, Input.Summary, IsActive: true), ct);
        Flash($"Offering {created.Name} created; add its packages.");
        return Redirect($"/catalog/{created.Id}/packages/new");
    }

    public sealed class NewOfferingForm
    {
        public string? Slug { get; set; }
        public string? Name { get; set; }
        public string? Category { get; set; }
        public string? Summary { get; set; }
    }
}

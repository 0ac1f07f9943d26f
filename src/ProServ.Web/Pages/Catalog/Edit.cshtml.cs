using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Catalog;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Catalog;

[Authorize(Policy = AuthorizationPolicies.ManageCatalog)]
public sealed class EditModel(CatalogService catalog) : ProServPageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [BindProperty]
    public OfferingForm Input { get; set; } = new();

    public OfferingDto Offering { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Offering = await catalog.GetAsync(Id.ToString(), ct);
        Input = new OfferingForm
        {
            Name = Offering.Name,
            Category = Offering.Category,
            Summary = Offering.Summary,
            IsActive = Offering.IsActive,
            Version = Offering.Version,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Offering = await catalog.GetAsync(Id.ToString(), ct);
        if (!ModelState.IsValid) return Page();
        var saved = await catalog.UpdateOfferingAsync(Actor, Id,
            new OfferingInput(null, Input.Name ?? "", Input.Category ?? "", Input.Summary ?? "", Input.IsActive, Input.Version), ct);
        Flash($"Offering {saved.Name} saved.");
        return Redirect($"/catalog#o-{Id}");
    }

    public sealed class OfferingForm
    {
        public string? Name { get; set; }
        public string? Category { get; set; }
        public string? Summary { get; set; }
        public bool IsActive { get; set; }
        public int Version { get; set; }
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Catalog;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Catalog;

[Authorize(Policy = AuthorizationPolicies.ManageCatalog)]
public sealed class EditPackageModel(CatalogService catalog) : ProServPageModel
{
    [FromRoute]
    public Guid OfferingId { get; set; }

    [FromRoute]
    public Guid PackageId { get; set; }

    [BindProperty]
    public PackageForm Input { get; set; } = new();

    public OfferingDto Offering { get; private set; } = null!;
    public PackageDto Package { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input = PackageForm.From(Package);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        PackageForm.ExplainBindingErrors(ModelState);
        if (!ModelState.IsValid) return Page();
        var saved = await catalog.UpdatePackageAsync(Actor, PackageId, Input.ToInput(), ct);
        Flash($"Package {saved.Name} saved.");
        return Redirect($"/catalog#o-{OfferingId}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Offering = await catalog.GetAsync(OfferingId.ToString(), ct);
        Package = Offering.Packages.FirstOrDefault(p => p.Id == PackageId) ?? throw new NotFoundException("Package");
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Features.Catalog;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Catalog;

[Authorize(Policy = AuthorizationPolicies.ManageCatalog)]
public sealed class NewPackageModel(CatalogService catalog) : ProServPageModel
{
    [FromRoute]
    public Guid OfferingId { get; set; }

    [BindProperty]
    public PackageForm Input { get; set; } = new();

    public OfferingDto Offering { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Offering = await catalog.GetAsync(OfferingId.ToString(), ct);
        Input = new PackageForm { Unit = PricingUnit.Fixed, Currency = Offering.Packages.FirstOrDefault()?.Currency ?? "USD" };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Offering = await catalog.GetAsync(OfferingId.ToString(), ct);
        PackageForm.ExplainBindingErrors(ModelState);
        if (!ModelState.IsValid) return Page();
        var created = await catalog.AddPackageAsync(Actor, OfferingId, Input.ToInput(), ct);
        Flash($"Package {created.Name} added to {Offering.Name}.");
        return Redirect($"/catalog#o-{OfferingId}");
    }
}

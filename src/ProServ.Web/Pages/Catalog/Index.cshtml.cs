using Microsoft.AspNetCore.Authorization;
using ProServ.Core.Features.Catalog;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages.Catalog;

public sealed class IndexModel(CatalogService catalog, IAuthorizationService authz) : ProServPageModel
{
    public IReadOnlyList<OfferingDto> Offerings { get; private set; } = [];
    public bool CanManage { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        CanManage = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageCatalog)).Succeeded;
        // Administrators also see what they switched off, so they can switch it on again.
        Offerings = await catalog.ListAsync(includeInactive: CanManage, ct);
    }
}

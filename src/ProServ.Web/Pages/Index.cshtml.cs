using Microsoft.AspNetCore.Authorization;
using ProServ.Core.Common;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;

namespace ProServ.Web.Pages;

public sealed class IndexModel(
    EngagementService engagements, CustomerService customers, CatalogService catalog, UserService users, IAuthorizationService authz)
    : ProServPageModel
{
    public IReadOnlyList<(string Stage, int Count)> ByStage { get; private set; } = [];
    public IReadOnlyList<EngagementDto> Recent { get; private set; } = [];
    public int CustomerCount { get; private set; }
    public int OfferingCount { get; private set; }
    public int UserCount { get; private set; }
    public bool IsAdmin { get; private set; }
    public bool CanManageAccounts { get; private set; }

    /// A new install: nothing sold yet. The checklist stays until the first engagement exists, ticking off what is done.
    public bool IsNewInstall => ByStage.Sum(s => s.Count) == 0;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = Actor;
        IsAdmin = (await authz.AuthorizeAsync(User, AuthorizationPolicies.Administrator)).Succeeded;
        CanManageAccounts = (await authz.AuthorizeAsync(User, AuthorizationPolicies.ManageAccounts)).Succeeded;
        var counts = new List<(string, int)>();
        foreach (var stage in EngagementStage.All)
        {
            var page = await engagements.ListAsync(actor, new EngagementQuery(Stage: stage), new PageRequest(1, 1), ct);
            counts.Add((stage, page.Total));
        }
        ByStage = counts;
        Recent = (await engagements.ListAsync(actor, new EngagementQuery(), new PageRequest(1, 5), ct)).Items;
        CustomerCount = (await customers.ListAsync(actor, new CustomerQuery(), new PageRequest(1, 1), ct)).Total;
        OfferingCount = (await catalog.ListAsync(includeInactive: false, ct)).Count;
        if (IsAdmin)
        {
            UserCount = (await users.ListAsync(null, null, new PageRequest(1, 1), ct)).Total;
        }
    }
}

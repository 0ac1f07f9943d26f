using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProServ.Core.Features.Catalog;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Catalog;

internal static class CatalogEndpoints
{
    public static void MapCatalog(this IEndpointRouteBuilder app)
    {
        var g = app.MapApi("/catalog", "Catalog");
        g.MapGet("/offerings", List).WithName("ListOfferings").WithSummary("The service catalog: offerings and their packages with ROM price ranges.");
        g.MapGet("/offerings/{idOrSlug}", Get).WithName("GetOffering");
        g.MapPost("/offerings", Create).WithName("CreateOffering").RequireAuthorization(AuthorizationPolicies.ManageCatalog);
        g.MapPatch("/offerings/{id:guid}", Update).WithName("UpdateOffering").RequireAuthorization(AuthorizationPolicies.ManageCatalog);
        g.MapPost("/offerings/{id:guid}/packages", AddPackage).WithName("AddPackage").RequireAuthorization(AuthorizationPolicies.ManageCatalog);
        g.MapPatch("/packages/{packageId:guid}", UpdatePackage).WithName("UpdatePackage").RequireAuthorization(AuthorizationPolicies.ManageCatalog);
    }

    private static async Task<Ok<IReadOnlyList<OfferingDto>>> List(CatalogService catalog, bool? includeInactive, CancellationToken ct) =>
        TypedResults.Ok(await catalog.ListAsync(includeInactive ?? false, ct));

    private static async Task<Ok<OfferingDto>> Get(string idOrSlug, CatalogService catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.GetAsync(idOrSlug, ct));

    private static async Task<Created<OfferingDto>> Create(OfferingInput input, ClaimsPrincipal user, CatalogService catalog, CancellationToken ct)
    {
        var o = await catalog.CreateOfferingAsync(user.Actor(), input, ct);
        return TypedResults.Created($"/api/v1/catalog/offerings/{o.Id}", o);
    }

    private static async Task<Ok<OfferingDto>> Update(Guid id, OfferingInput input, ClaimsPrincipal user, CatalogService catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.UpdateOfferingAsync(user.Actor(), id, input, ct));

    private static async Task<Created<PackageDto>> AddPackage(Guid id, PackageInput input, ClaimsPrincipal user, CatalogService catalog, CancellationToken ct)
    {
        var p = await catalog.AddPackageAsync(user.Actor(), id, input, ct);
        return TypedResults.Created($"/api/v1/catalog/offerings/{id}", p);
    }

    private static async Task<Ok<PackageDto>> UpdatePackage(Guid packageId, PackageInput input, ClaimsPrincipal user, CatalogService catalog, CancellationToken ct) =>
        TypedResults.Ok(await catalog.UpdatePackageAsync(user.Actor(), packageId, input, ct));
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProServ.Core.Features.Customers;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Customers;

public sealed record CustomerPatchRequest(string? Name, string? Tier, int? LicensedSeats, int? ActiveUsers, bool? UpgradingFromCe,
    Guid? AccountExecutiveId, bool? ClearAccountExecutive, string? Notes, int? Version);

public sealed record TierDto(string Id, string Name, bool IsPaying);

internal static class CustomersEndpoints
{
    public static void MapCustomers(this IEndpointRouteBuilder app)
    {
        var g = app.MapApi("/customers", "Customers");
        g.MapGet("/", List).WithName("ListCustomers").WithSummary("Customers the caller may see (a customer contact sees only its own).");
        g.MapGet("/{id:guid}", Get).WithName("GetCustomer");
        g.MapPost("/", Create).WithName("CreateCustomer").RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapPatch("/{id:guid}", Update).WithName("UpdateCustomer").RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapPost("/{id:guid}/contacts", AddContact).WithName("AddCustomerContact").RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapDelete("/{id:guid}/contacts/{contactId:guid}", RemoveContact).WithName("RemoveCustomerContact").RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        app.MapApi("/tiers", "Customers").MapGet("/", Tiers).WithName("ListTiers").WithSummary("Subscription tiers; free is CE, the others are paying (EE).");
    }

    private static async Task<Ok<PageDto<CustomerDto>>> List(ClaimsPrincipal user, CustomerService customers,
        string? search, string? tier, int? page, int? perPage, CancellationToken ct) =>
        TypedResults.Ok(PageDto<CustomerDto>.From(await customers.ListAsync(user.Actor(), new CustomerQuery(search, tier), ApiConventions.Paging(page, perPage), ct)));

    private static async Task<Ok<CustomerDto>> Get(Guid id, ClaimsPrincipal user, CustomerService customers, CancellationToken ct) =>
        TypedResults.Ok(await customers.GetAsync(user.Actor(), id, ct));

    private static async Task<Created<CustomerDto>> Create(CustomerInput input, ClaimsPrincipal user, CustomerService customers, CancellationToken ct)
    {
        var created = await customers.CreateAsync(user.Actor(), input, ct);
        return TypedResults.Created($"/api/v1/customers/{created.Id}", created);
    }

    private static async Task<Ok<CustomerDto>> Update(Guid id, CustomerPatchRequest input, ClaimsPrincipal user, CustomerService customers, CancellationToken ct) =>
        TypedResults.Ok(await customers.UpdateAsync(user.Actor(), id, new CustomerPatch(input.Name, input.Tier, input.LicensedSeats,
            input.ActiveUsers, input.UpgradingFromCe, input.AccountExecutiveId, input.ClearAccountExecutive ?? false, input.Notes, input.Version), ct));

    private static async Task<Created<CustomerContactDto>> AddContact(Guid id, CustomerContactInput input, ClaimsPrincipal user, CustomerService customers, CancellationToken ct)
    {
        var contact = await customers.AddContactAsync(user.Actor(), id, input, ct);
        return TypedResults.Created($"/api/v1/customers/{id}", contact);
    }

    private static async Task<NoContent> RemoveContact(Guid id, Guid contactId, ClaimsPrincipal user, CustomerService customers, CancellationToken ct)
    {
        await customers.RemoveContactAsync(user.Actor(), id, contactId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<TierDto>>> Tiers(CustomerService customers, CancellationToken ct) =>
        TypedResults.Ok((await customers.TiersAsync(ct)).Select(t => new TierDto(t.Id, t.Name, t.IsPaying)).ToList());
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Engagements;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Engagements;

public sealed record TransitionRequest(string? To, string? Reason);

internal static class EngagementsEndpoints
{
    public static void MapEngagements(this IEndpointRouteBuilder app)
    {
        var g = app.MapApi("/engagements", "Engagements");
        g.MapGet("/", List).WithName("ListEngagements");
        g.MapGet("/{id:guid}", Get).WithName("GetEngagement");
        g.MapPost("/", Create).WithName("CreateEngagement").RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapPost("/{id:guid}/transitions", Transition).WithName("TransitionEngagement")
            .WithSummary("Moves the engagement to another stage; 409 when the move is not allowed from the current stage.")
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        g.MapGet("/{id:guid}/audit", History).WithName("EngagementAudit");
    }

    private static async Task<Ok<PageDto<EngagementDto>>> List(ClaimsPrincipal user, EngagementService engagements,
        Guid? customerId, string? stage, string? search, int? page, int? perPage, CancellationToken ct) =>
        TypedResults.Ok(PageDto<EngagementDto>.From(await engagements.ListAsync(user.Actor(),
            new EngagementQuery(customerId, stage, search), ApiConventions.Paging(page, perPage), ct)));

    private static async Task<Ok<EngagementDto>> Get(Guid id, ClaimsPrincipal user, EngagementService engagements, CancellationToken ct) =>
        TypedResults.Ok(await engagements.GetAsync(user.Actor(), id, ct));

    private static async Task<Created<EngagementDto>> Create(EngagementInput input, ClaimsPrincipal user, EngagementService engagements, CancellationToken ct)
    {
        var e = await engagements.CreateAsync(user.Actor(), input, ct);
        return TypedResults.Created($"/api/v1/engagements/{e.Id}", e);
    }

    private static async Task<Ok<EngagementDto>> Transition(Guid id, TransitionRequest input, ClaimsPrincipal user, EngagementService engagements, CancellationToken ct) =>
        TypedResults.Ok(await engagements.TransitionAsync(user.Actor(), id, input.To, input.Reason, ct));

    private static async Task<Ok<PageDto<AuditEventDto>>> History(Guid id, ClaimsPrincipal user, EngagementService engagements,
        AuditService audit, int? page, int? perPage, CancellationToken ct)
    {
        await engagements.GetAsync(user.Actor(), id, ct);
        return TypedResults.Ok(PageDto<AuditEventDto>.From(await audit.ListAsync(user.Actor(),
            new AuditQuery("engagement", id.ToString()), ApiConventions.Paging(page, perPage), ct)));
    }
}

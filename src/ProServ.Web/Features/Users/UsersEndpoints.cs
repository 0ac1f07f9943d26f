using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Users;

public sealed record UserPatchRequest(string? Name, IReadOnlyList<string>? Roles, Guid? CustomerId, bool? IsActive, string? Password, bool? Unlock);

internal static class UsersEndpoints
{
    public static void MapUsers(this IEndpointRouteBuilder app)
    {
        var g = app.MapApi("/users", "Users").RequireAuthorization(AuthorizationPolicies.Administrator);
        g.MapGet("/", List).WithName("ListUsers");
        g.MapGet("/{id:guid}", Get).WithName("GetUser");
        g.MapPost("/", Create).WithName("CreateUser");
        g.MapPatch("/{id:guid}", Update).WithName("UpdateUser");
        g.MapGet("/{id:guid}/sessions", Sessions).WithName("ListUserSessions").WithSummary("The user's live browser sessions.");
        g.MapDelete("/{id:guid}/sessions", EndSessions).WithName("EndUserSessions").WithSummary("Ends all of the user's sessions at once.");
        g.MapDelete("/{id:guid}/sessions/{sessionId:guid}", EndSession).WithName("EndUserSession").WithSummary("Ends one session at once.");
        app.MapApi("/roles", "Users").MapGet("/", () => TypedResults.Ok(Role.All)).WithName("ListRoles");
        app.MapApi("/me", "Users").MapGet("/", Me).WithName("Me");
        app.MapApi("/audit", "Audit").RequireAuthorization(AuthorizationPolicies.Administrator).MapGet("/", Audit).WithName("ListAuditEvents");
    }

    private static async Task<Ok<PageDto<UserDto>>> List(UserService users, string? search, string? role, int? page, int? perPage, CancellationToken ct) =>
        TypedResults.Ok(PageDto<UserDto>.From(await users.ListAsync(search, role, ApiConventions.Paging(page, perPage), ct)));

    private static async Task<Ok<UserDto>> Get(Guid id, UserService users, CancellationToken ct) => TypedResults.Ok(await users.GetAsync(id, ct));

    private static async Task<Created<UserDto>> Create(UserInput input, ClaimsPrincipal user, UserService users, CancellationToken ct)
    {
        var created = await users.CreateAsync(user.Actor(), input, ct);
        return TypedResults.Created($"/api/v1/users/{created.Id}", created);
    }

    private static async Task<Ok<UserDto>> Update(Guid id, UserPatchRequest input, ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.UpdateAsync(user.Actor(), id,
            new UserPatch(input.Name, input.Roles, input.CustomerId, input.IsActive, input.Password, input.Unlock ?? false), ct));

    private static async Task<Ok<IReadOnlyList<UserSessionDto>>> Sessions(Guid id, ClaimsPrincipal user, UserService users,
        UserSessionService sessions, CancellationToken ct)
    {
        await users.GetAsync(id, ct);
        return TypedResults.Ok(await sessions.ListAsync(user.Actor(), id, ct));
    }

    private static async Task<NoContent> EndSessions(Guid id, ClaimsPrincipal user, UserService users, UserSessionService sessions, CancellationToken ct)
    {
        await users.GetAsync(id, ct);
        await sessions.EndAllAsync(user.Actor(), id, keep: null, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> EndSession(Guid id, Guid sessionId, ClaimsPrincipal user, UserSessionService sessions, CancellationToken ct)
    {
        var mine = await sessions.ListAsync(user.Actor(), id, ct);
        if (mine.All(s => s.Id != sessionId)) throw new ProServ.Core.Common.NotFoundException("Session");
        await sessions.EndAsync(user.Actor(), sessionId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<UserDto>> Me(ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.GetAsync(user.Actor().UserId ?? Guid.Empty, ct));

    private static async Task<Ok<PageDto<AuditEventDto>>> Audit(AuditService audit, string? entityType, string? entityId,
        Guid? actorId, string? action, Guid? customerId, int? page, int? perPage, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(PageDto<AuditEventDto>.From(await audit.ListAsync(user.Actor(),
            new AuditQuery(entityType, entityId, actorId, action, customerId), ApiConventions.Paging(page, perPage), ct)));
}

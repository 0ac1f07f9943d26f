using System.Security.Claims;
using ProServ.Core.Common;
using ProServ.Web.Auth;

namespace ProServ.Web.Infrastructure;

/// The shape of every list answer: the page of items and the total count.
public sealed record PageDto<T>(IReadOnlyList<T> Items, int Total, int Page, int PerPage, int TotalPages)
{
    public static PageDto<T> From(Paged<T> p) => new(p.Items, p.Total, p.Page, p.PerPage, p.TotalPages);
}

internal static class ApiConventions
{
    public static Actor Actor(this ClaimsPrincipal user) => user.ToActor();

    public static PageRequest Paging(int? page, int? perPage) => new(page ?? 1, perPage ?? 25);

    /// Routes under /api/v1 answer problem details, authenticate with API tokens only, and refuse nulls that a
    /// body's declared types forbid (RequestValueCheck).
    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder app, string prefix, string tag)
    {
        var group = app.MapGroup("/api/v1" + prefix).WithTags(tag).RequireAuthorization();
        group.AddEndpointFilterFactory(RequestValueCheck.Factory);
        return group;
    }
}

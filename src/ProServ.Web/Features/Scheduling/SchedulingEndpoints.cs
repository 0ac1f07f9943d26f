using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using ProServ.Core.Features.Scheduling;
using ProServ.Web.Auth;
using ProServ.Web.Infrastructure;

namespace ProServ.Web.Features.Scheduling;

public sealed record BookingConfirmBody(int? RowVersion);

internal static class SchedulingEndpoints
{
    public static void MapScheduling(this IEndpointRouteBuilder app)
    {
        var e = app.MapApi("/engagements", "Bookings");
        e.MapPost("/{id:guid}/bookings", Create).WithName("CreateBooking")
            .WithSummary("Books a specialist: tentative at any time; confirmed only once the signed agreement and the P.O. are recorded (no-dates-before-agreement-and-po).")
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
        e.MapGet("/{id:guid}/bookings", ForEngagement).WithName("ListEngagementBookings");

        var g = app.MapApi("/bookings", "Bookings");
        g.MapGet("/", List).WithName("ListBookings");
        g.MapGet("/{id:guid}", Get).WithName("GetBooking");
        g.MapPost("/{id:guid}/confirm", Confirm).WithName("ConfirmBooking")
            .WithSummary("Confirms a tentative booking; refused until the signed agreement and the P.O. are recorded.")
            .RequireAuthorization(AuthorizationPolicies.ManageAccounts);
    }

    private static async Task<Created<BookingDto>> Create(Guid id, BookingInput input, ClaimsPrincipal user, BookingService bookings, CancellationToken ct)
    {
        var b = await bookings.CreateAsync(user.Actor(), id, input, ct);
        return TypedResults.Created($"/api/v1/bookings/{b.Id}", b);
    }

    private static async Task<Ok<PageDto<BookingDto>>> ForEngagement(Guid id, ClaimsPrincipal user, BookingService bookings,
        int? page, int? perPage, CancellationToken ct) =>
        TypedResults.Ok(PageDto<BookingDto>.From(await bookings.ListAsync(user.Actor(), new BookingQuery(EngagementId: id),
            ApiConventions.Paging(page, perPage), ct)));

    private static async Task<Ok<PageDto<BookingDto>>> List(ClaimsPrincipal user, BookingService bookings, Guid? engagementId, Guid? userId,
        bool? confirmed, int? page, int? perPage, CancellationToken ct) =>
        TypedResults.Ok(PageDto<BookingDto>.From(await bookings.ListAsync(user.Actor(), new BookingQuery(engagementId, userId, confirmed),
            ApiConventions.Paging(page, perPage), ct)));

    private static async Task<Ok<BookingDto>> Get(Guid id, ClaimsPrincipal user, BookingService bookings, CancellationToken ct) =>
        TypedResults.Ok(await bookings.GetAsync(user.Actor(), id, ct));

    private static async Task<Ok<BookingDto>> Confirm(Guid id, BookingConfirmBody? body, ClaimsPrincipal user, BookingService bookings, CancellationToken ct) =>
        TypedResults.Ok(await bookings.ConfirmAsync(user.Actor(), id, body?.RowVersion, ct));
}

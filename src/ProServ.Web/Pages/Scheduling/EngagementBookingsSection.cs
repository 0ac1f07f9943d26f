using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Scheduling;
using ProServ.Core.Features.Users;
using ProServ.Web.Auth;
using ProServ.Web.Pages.Engagements;

namespace ProServ.Web.Pages.Scheduling;

/// Who is booked on the engagement; bookings stay tentative until the agreement and the P.O. are in.
public sealed class EngagementBookingsSection(BookingService bookings, UserService users) : IEngagementSection
{
    public const string BookingPrefix = "Booking";

    public string Anchor => "bookings";
    public int Order => 600;
    public string Partial => "/Pages/Scheduling/_EngagementBookings.cshtml";
    public string? Policy => null;
    public IReadOnlyCollection<string> Handlers => ["Booking", "Confirm"];

    public async Task<object> LoadAsync(EngagementSectionContext context, CancellationToken ct)
    {
        var canManage = await context.IsAllowedAsync(AuthorizationPolicies.ManageAccounts);
        var list = await bookings.ListAsync(context.Actor, new BookingQuery(EngagementId: context.EngagementId), new PageRequest(1, 100), ct);
        IReadOnlyList<UserDto> specialists = [];
        if (canManage)
        {
            var people = (await users.InRoleAsync(Role.PsEngineer, ct)).Concat(await users.InRoleAsync(Role.PsManager, ct));
            specialists = people.DistinctBy(u => u.Id).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
        }
        return new EngagementBookingsView(context, list, specialists, canManage, await context.FormAsync<BookingForm>(BookingPrefix));
    }

    public Task<IActionResult> HandleAsync(EngagementSectionContext context, string handler, CancellationToken ct) =>
        string.Equals(handler, "Confirm", StringComparison.OrdinalIgnoreCase) ? ConfirmAsync(context, ct) : AddAsync(context, ct);

    private async Task<IActionResult> AddAsync(EngagementSectionContext context, CancellationToken ct)
    {
        context.Handling("booking", BookingPrefix);
        var form = await context.FormAsync<BookingForm>(BookingPrefix);
        static DateTimeOffset? Parse(string? s) =>
            DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
        await bookings.CreateAsync(context.Actor, context.EngagementId,
            new BookingInput(form.UserId, Parse(form.Start), Parse(form.End), form.Confirmed, form.Note), ct);
        return context.Done(form.Confirmed ? "Booking confirmed." : "Tentative booking added.", Anchor);
    }

    private async Task<IActionResult> ConfirmAsync(EngagementSectionContext context, CancellationToken ct)
    {
        context.Handling("booking");
        var bookingId = Guid.TryParse(context.Request.Form["bookingId"], out var id) ? id : Guid.Empty;
        int? rowVersion = int.TryParse(context.Request.Form["rowVersion"], CultureInfo.InvariantCulture, out var v) ? v : null;
        await bookings.ConfirmAsync(context.Actor, bookingId, rowVersion, ct);
        return context.Done("Booking confirmed.", Anchor);
    }
}

public sealed record EngagementBookingsView(
    EngagementSectionContext Context, Paged<BookingDto> Bookings, IReadOnlyList<UserDto> Specialists, bool CanManage, BookingForm Booking);

public sealed class BookingForm
{
    public Guid? UserId { get; set; }
    public string? Start { get; set; }
    public string? End { get; set; }
    public bool Confirmed { get; set; }
    public string? Note { get; set; }
}

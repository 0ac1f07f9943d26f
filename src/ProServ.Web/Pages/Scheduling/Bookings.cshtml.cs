using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.Scheduling;

namespace ProServ.Web.Pages.Scheduling;

/// Every booking of every specialist, tentative and confirmed.
public sealed class BookingsModel(BookingService bookings) : ProServPageModel
{
    [FromQuery(Name = "page")]
    public int? PageNumber { get; set; }

    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    public Paged<BookingDto> List { get; private set; } = new([], 0, 1, 25);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        bool? confirmed = Status switch { "confirmed" => true, "tentative" => false, _ => null };
        List = await bookings.ListAsync(Actor, new BookingQuery(Confirmed: confirmed), Paging(PageNumber, 25), ct);
        return PastTheEnd(List) ?? Page();
    }
}

using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Agreements;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Scheduling;

public sealed record BookingInput(Guid? UserId, DateTimeOffset? Start, DateTimeOffset? End, bool? Confirmed, string? Note = null);

public sealed record BookingDto(Guid Id, Guid EngagementId, string EngagementTitle, Guid CustomerId, string CustomerName,
    Guid UserId, string UserName, DateTimeOffset Start, DateTimeOffset End, bool Confirmed, string Status,
    DateTimeOffset? ConfirmedAt, string? Note, DateTimeOffset CreatedAt, string CreatedByName, int RowVersion);

public sealed record BookingQuery(Guid? EngagementId = null, Guid? UserId = null, bool? Confirmed = null);

public sealed class BookingService(ProServDbContext db, AuditWriter audit, TimeProvider clock, BookingGate gate)
{
    public async Task<BookingDto> CreateAsync(Actor actor, Guid engagementId, BookingInput input, CancellationToken ct)
    {
        var engagement = await db.Engagements.AsNoTracking().FirstOrDefaultAsync(e => e.Id == engagementId, ct);
        if (engagement is null || !actor.IsStaff)
        {
            throw new NotFoundException("Engagement");
        }
        if (!EngagementStage.IsOpen(engagement.Stage))
        {
            throw new ConflictException("Engagement is over", $"The engagement is {engagement.Stage}; nobody is booked on it any more.");
        }
        var errors = new ValidationErrors();
        if (input.UserId is not { } userId) errors.Add("userId", "Choose the specialist to book.");
        else if (!await db.Users.AnyAsync(u => u.Id == userId && u.IsActive && u.CustomerId == null, ct))
            errors.Add("userId", "The specialist must be an active member of the team.");
        if (input.Start is not { } start) errors.Add("start", "Enter when the booking starts.");
        if (input.End is not { } end) errors.Add("end", "Enter when the booking ends.");
        if (input.Start is { } s && input.End is { } e)
        {
            errors.Require(e > s, "end", "The booking ends after it starts.");
            errors.Require(e - s <= TimeSpan.FromDays(366), "end", "A booking lasts at most a year.");
        }
        errors.Require(input.Note is null || input.Note.Length <= 2000, "note", "The note is longer than 2000 characters.");
        errors.ThrowIfAny();
        var confirmed = input.Confirmed ?? false;
        if (confirmed)
        {
            await gate.EnsureDatesMayBeCommittedAsync(engagementId, ct);
        }
        var now = clock.GetUtcNow();
        var booking = new Booking
        {
            Id = Guid.NewGuid(),
            EngagementId = engagementId,
            CustomerId = engagement.CustomerId,
            UserId = input.UserId!.Value,
            Start = input.Start!.Value.ToUniversalTime(),
            End = input.End!.Value.ToUniversalTime(),
            Confirmed = confirmed,
            ConfirmedAt = confirmed ? now : null,
            Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            CreatedAt = now,
            CreatedByName = actor.Name,
        };
        db.Bookings.Add(booking);
        audit.Record(actor, "engagement", engagementId, confirmed ? "booking.confirmed" : "booking.tentative", null,
            new { bookingId = booking.Id, booking.UserId, booking.Start, booking.End, booking.Confirmed }, engagement.CustomerId);
        audit.Publish("booking.created", new { booking.Id, booking.EngagementId, booking.UserId, booking.Start, booking.End, booking.Confirmed });
        await db.SaveChangesAsync(ct);
        return await GetAsync(actor, booking.Id, ct);
    }

    /// Turns a tentative booking into a confirmed one, once the agreement and the P.O. are recorded.
    public async Task<BookingDto> ConfirmAsync(Actor actor, Guid id, int? rowVersion, CancellationToken ct)
    {
        var booking = await db.Bookings.FirstOrDefaultAsync(b => b.Id == id, ct);
        if (booking is null || !actor.IsStaff) throw new NotFoundException("Booking");
        if (rowVersion is { } v && v != booking.RowVersion)
            throw new ConflictException("Changed by someone else", "This booking was changed since you opened it; reload it and try again.");
        if (booking.Confirmed)
            throw new ConflictException("Already confirmed", "This booking is confirmed already.");
        await gate.EnsureDatesMayBeCommittedAsync(booking.EngagementId, ct);
        booking.Confirmed = true;
        booking.ConfirmedAt = clock.GetUtcNow();
        booking.RowVersion++;
        audit.Record(actor, "engagement", booking.EngagementId, "booking.confirmed", null,
            new { bookingId = booking.Id, booking.UserId, booking.Start, booking.End }, booking.CustomerId);
        audit.Publish("booking.confirmed", new { booking.Id, booking.EngagementId, booking.UserId, booking.Start, booking.End });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("Changed at the same time", "Someone else changed this booking at the same moment; reload it.");
        }
        return await GetAsync(actor, id, ct);
    }

    public async Task<BookingDto> GetAsync(Actor actor, Guid id, CancellationToken ct) =>
        ToDto(await Visible(actor).FirstOrDefaultAsync(b => b.Id == id, ct) ?? throw new NotFoundException("Booking"));

    public async Task<Paged<BookingDto>> ListAsync(Actor actor, BookingQuery query, PageRequest page, CancellationToken ct)
    {
        var q = Visible(actor);
        if (query.EngagementId is { } eid) q = q.Where(b => b.EngagementId == eid);
        if (query.UserId is { } uid) q = q.Where(b => b.UserId == uid);
        if (query.Confirmed is { } c) q = q.Where(b => b.Confirmed == c);
        var p = page.Normalised();
        var total = await q.CountAsync(ct);
        var items = await q.OrderBy(b => b.Start).ThenBy(b => b.Id).Skip(p.Skip).Take(p.PerPage).ToListAsync(ct);
        return new Paged<BookingDto>(items.Select(ToDto).ToList(), total, p.Page, p.PerPage);
    }

    private IQueryable<Booking> Visible(Actor actor)
    {
        IQueryable<Booking> q = db.Bookings.AsNoTracking().Include(b => b.User).Include(b => b.Engagement).ThenInclude(e => e!.Customer);
        return q.VisibleTo(actor);
    }

    private static BookingDto ToDto(Booking b) => new(b.Id, b.EngagementId, b.Engagement?.Title ?? "", b.CustomerId,
        b.Engagement?.Customer?.Name ?? "", b.UserId, b.User?.Name ?? "", b.Start, b.End, b.Confirmed,
        b.Confirmed ? "confirmed" : "tentative", b.ConfirmedAt, b.Note, b.CreatedAt, b.CreatedByName, b.RowVersion);
}

/// no-dates-before-agreement-and-po, for bookings and for the move to `scheduled` alike.
public sealed class BookingGate(ProServDbContext db) : IEngagementTransitionGuard
{
    public async Task EnsureDatesMayBeCommittedAsync(Guid engagementId, CancellationToken ct)
    {
        var agreement = await db.Agreements.AnyAsync(a => a.EngagementId == engagementId, ct);
        var po = await db.PurchaseOrders.AnyAsync(p => p.EngagementId == engagementId, ct);
        if (agreement && po) return;
        var missing = (agreement, po) switch
        {
            (false, false) => "neither the signed agreement nor the P.O. is recorded",
            (false, true) => "the signed agreement is not recorded yet",
            _ => "the P.O. is not recorded yet",
        };
        throw new RuleViolationException(SowRules.NoDatesBeforeAgreementAndPo,
            $"No dates are committed before both the signed agreement and the purchase order are received, and {missing}; keep the booking tentative until then.");
    }

    public Task CheckAsync(Engagement engagement, string to, Actor actor, CancellationToken ct) =>
        to == EngagementStage.Scheduled ? EnsureDatesMayBeCommittedAsync(engagement.Id, ct) : Task.CompletedTask;
}

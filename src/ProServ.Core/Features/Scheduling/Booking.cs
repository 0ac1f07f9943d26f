using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.Scheduling;

/// A specialist booked on an engagement: tentative (soft) at any time, confirmed (hard) only after the signed
/// agreement and the P.O. are recorded.
public sealed class Booking : ICustomerOwned<Booking>
{
    public static Expression<Func<Booking, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public Guid Id { get; set; }
    public Guid EngagementId { get; set; }
    public Engagement? Engagement { get; set; }
    public Guid CustomerId { get; set; }
    public Guid UserId { get; set; }
    public ProServUser? User { get; set; }
    public DateTimeOffset Start { get; set; }
    public DateTimeOffset End { get; set; }
    public bool Confirmed { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedByName { get; set; } = "";
    public int RowVersion { get; set; }
}

internal sealed class BookingConfiguration : IEntityTypeConfiguration<Booking>
{
    public void Configure(EntityTypeBuilder<Booking> b)
    {
        b.ToTable("Bookings");
        b.HasOne(x => x.Engagement).WithMany().HasForeignKey(x => x.EngagementId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.UserId, x.Start });
        b.HasIndex(x => x.EngagementId);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.CreatedByName).HasMaxLength(200);
        b.Property(x => x.RowVersion).IsConcurrencyToken();
    }
}

using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.Engagements;

public sealed class Engagement : ICustomerOwned<Engagement>
{
    public static Expression<Func<Engagement, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public Guid Id { get; set; }
    public Guid CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public required string Title { get; set; }
    public Guid? OwnerId { get; set; }
    public ProServUser? Owner { get; set; }
    public string Stage { get; set; } = EngagementStage.Requested;
    public List<EngagementOffering> Offerings { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
}

public sealed class EngagementOffering : ICustomerOwned<EngagementOffering>
{
    public static Expression<Func<EngagementOffering, Guid?>> OwnerCustomerId => x => x.Engagement!.CustomerId;

    public Guid EngagementId { get; set; }
    public Engagement? Engagement { get; set; }
    public Guid OfferingId { get; set; }
    public Offering? Offering { get; set; }
}

internal sealed class EngagementConfiguration : IEntityTypeConfiguration<Engagement>
{
    public void Configure(EntityTypeBuilder<Engagement> b)
    {
        b.ToTable("Engagements");
        b.Property(e => e.Title).HasMaxLength(300);
        b.Property(e => e.Stage).HasMaxLength(40);
        b.HasIndex(e => new { e.CustomerId, e.Stage });
        b.HasOne(e => e.Customer).WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(e => e.Owner).WithMany().HasForeignKey(e => e.OwnerId).OnDelete(DeleteBehavior.SetNull);
        b.Property(e => e.Version).IsConcurrencyToken();
        b.HasMany(e => e.Offerings).WithOne(o => o.Engagement).HasForeignKey(o => o.EngagementId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EngagementOfferingConfiguration : IEntityTypeConfiguration<EngagementOffering>
{
    public void Configure(EntityTypeBuilder<EngagementOffering> b)
    {
        b.ToTable("EngagementOfferings");
        b.HasKey(o => new { o.EngagementId, o.OfferingId });
        b.HasOne(o => o.Offering).WithMany().HasForeignKey(o => o.OfferingId).OnDelete(DeleteBehavior.Restrict);
    }
}

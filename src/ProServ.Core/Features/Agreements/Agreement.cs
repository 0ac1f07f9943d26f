using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Agreements;

/// The signed agreement of an engagement (one per engagement; recording it again replaces it, audited).
public sealed class Agreement : ICustomerOwned<Agreement>
{
    public static Expression<Func<Agreement, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public Guid Id { get; set; }
    public Guid EngagementId { get; set; }
    public Guid CustomerId { get; set; }
    public DateOnly SignedOn { get; set; }
    public required string Signer { get; set; }
    public StoredFile? File { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string RecordedByName { get; set; } = "";
    public int RowVersion { get; set; }
}

/// The customer's purchase order (one per engagement).
public sealed class PurchaseOrder : ICustomerOwned<PurchaseOrder>
{
    public static Expression<Func<PurchaseOrder, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public Guid Id { get; set; }
    public Guid EngagementId { get; set; }
    public Guid CustomerId { get; set; }
    public required string Number { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public DateOnly ReceivedOn { get; set; }
    public StoredFile? File { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string RecordedByName { get; set; } = "";
    public int RowVersion { get; set; }
}

/// A file kept in the data directory, outside the web root; the database keeps only where it is and what it is.
public sealed class StoredFile
{
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public required string Sha256 { get; set; }
    /// Relative to the data directory; never derived from the uploaded name.
    public required string StoragePath { get; set; }
}

internal sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> b)
    {
        b.ToTable("Agreements");
        b.HasIndex(a => a.EngagementId).IsUnique();
        b.HasIndex(a => a.CustomerId);
        b.HasOne<Engagement>().WithMany().HasForeignKey(a => a.EngagementId).OnDelete(DeleteBehavior.Cascade);
        b.Property(a => a.Signer).HasMaxLength(200);
        b.Property(a => a.RecordedByName).HasMaxLength(200);
        b.Property(a => a.RowVersion).IsConcurrencyToken();
        b.OwnsOne(a => a.File, StoredFileConfiguration.Configure);
    }
}

internal sealed class PurchaseOrderConfiguration : IEntityTypeConfiguration<PurchaseOrder>
{
    public void Configure(EntityTypeBuilder<PurchaseOrder> b)
    {
        b.ToTable("PurchaseOrders");
        b.HasIndex(p => p.EngagementId).IsUnique();
        b.HasIndex(p => p.CustomerId);
        b.HasOne<Engagement>().WithMany().HasForeignKey(p => p.EngagementId).OnDelete(DeleteBehavior.Cascade);
        b.Property(p => p.Number).HasMaxLength(100);
        b.Property(p => p.Amount).HasPrecision(18, 2);
        b.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(p => p.RecordedByName).HasMaxLength(200);
        b.Property(p => p.RowVersion).IsConcurrencyToken();
        b.OwnsOne(p => p.File, StoredFileConfiguration.Configure);
    }
}

internal static class StoredFileConfiguration
{
    public static void Configure<T>(OwnedNavigationBuilder<T, StoredFile> f) where T : class
    {
        f.Property(x => x.FileName).HasMaxLength(255);
        f.Property(x => x.ContentType).HasMaxLength(100);
        f.Property(x => x.Sha256).HasMaxLength(64);
        f.Property(x => x.StoragePath).HasMaxLength(500);
    }
}

using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.Quotes;

public static class QuoteStatus
{
    /// No discount: can be issued as it is.
    public const string Draft = "draft";
    /// Has a discount: waits for the Director of Customer Success.
    public const string AwaitingApproval = "awaiting-approval";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Issued = "issued";
    /// A later version of the quote replaced this one before it was issued.
    public const string Superseded = "superseded";

    public static IReadOnlyList<string> All { get; } = [Draft, AwaitingApproval, Approved, Rejected, Issued, Superseded];
}

/// One numbered version of an engagement's quote. Totals are computed in memory (SQLite keeps decimals as text)
/// when the version is created and never change afterwards; a change is a new version.
public sealed class Quote : ICustomerOwned<Quote>
{
    public static Expression<Func<Quote, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public Guid Id { get; set; }
    public Guid EngagementId { get; set; }
    public Engagement? Engagement { get; set; }
    public Guid CustomerId { get; set; }
    public int Number { get; set; }
    public string Status { get; set; } = QuoteStatus.Draft;
    public required string Currency { get; set; }
    public DateOnly ValidUntil { get; set; }
    public decimal? DiscountPercent { get; set; }
    public decimal? DiscountAmount { get; set; }
    public decimal Subtotal { get; set; }
    public decimal DiscountTotal { get; set; }
    public decimal Total { get; set; }
    public string? Notes { get; set; }
    public List<QuoteLine> Lines { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedById { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid? DecidedById { get; set; }
    public string? DecidedByName { get; set; }
    public string? DecisionComment { get; set; }
    public DateTimeOffset? IssuedAt { get; set; }
    public string? IssuedByName { get; set; }
    public int RowVersion { get; set; }
}

public sealed class QuoteLine
{
    public Guid Id { get; set; }
    public Guid QuoteId { get; set; }
    public int Position { get; set; }
    public Guid? PackageId { get; set; }
    public Guid? OfferingId { get; set; }
    public required string Description { get; set; }
    public required string Unit { get; set; }
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal? RomLow { get; set; }
    public decimal? RomHigh { get; set; }
    public bool OutsideRom { get; set; }
    public string? Justification { get; set; }
    public decimal? DiscountPercent { get; set; }
    public decimal? DiscountAmount { get; set; }
    public decimal Subtotal { get; set; }
    public decimal Discount { get; set; }
    public decimal Total { get; set; }
}

internal sealed class QuoteConfiguration : IEntityTypeConfiguration<Quote>
{
    public void Configure(EntityTypeBuilder<Quote> b)
    {
        b.ToTable("Quotes");
        b.HasOne(q => q.Engagement).WithMany().HasForeignKey(q => q.EngagementId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(q => new { q.EngagementId, q.Number }).IsUnique();
        b.HasIndex(q => new { q.Status, q.CreatedAt });
        b.HasIndex(q => q.CustomerId);
        b.Property(q => q.Status).HasMaxLength(40);
        b.Property(q => q.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(q => q.DiscountPercent).HasPrecision(5, 2);
        b.Property(q => q.DiscountAmount).HasPrecision(18, 2);
        b.Property(q => q.Subtotal).HasPrecision(18, 2);
        b.Property(q => q.DiscountTotal).HasPrecision(18, 2);
        b.Property(q => q.Total).HasPrecision(18, 2);
        b.Property(q => q.Notes).HasMaxLength(4000);
        b.Property(q => q.CreatedByName).HasMaxLength(200);
        b.Property(q => q.DecidedByName).HasMaxLength(200);
        b.Property(q => q.DecisionComment).HasMaxLength(4000);
        b.Property(q => q.IssuedByName).HasMaxLength(200);
        b.Property(q => q.RowVersion).IsConcurrencyToken();
        b.HasMany(q => q.Lines).WithOne().HasForeignKey(l => l.QuoteId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QuoteLineConfiguration : IEntityTypeConfiguration<QuoteLine>
{
    public void Configure(EntityTypeBuilder<QuoteLine> b)
    {
        b.ToTable("QuoteLines");
        b.Property(l => l.Description).HasMaxLength(500);
        b.Property(l => l.Unit).HasMaxLength(40);
        b.Property(l => l.Quantity).HasPrecision(18, 2);
        b.Property(l => l.UnitPrice).HasPrecision(18, 2);
        b.Property(l => l.RomLow).HasPrecision(18, 2);
        b.Property(l => l.RomHigh).HasPrecision(18, 2);
        b.Property(l => l.Justification).HasMaxLength(4000);
        b.Property(l => l.DiscountPercent).HasPrecision(5, 2);
        b.Property(l => l.DiscountAmount).HasPrecision(18, 2);
        b.Property(l => l.Subtotal).HasPrecision(18, 2);
        b.Property(l => l.Discount).HasPrecision(18, 2);
        b.Property(l => l.Total).HasPrecision(18, 2);
        // The handbook's no-hourly-rates rule, also as a last line of defence in the database.
        b.ToTable(t => t.HasCheckConstraint("CK_QuoteLines_Unit_NotTimeBased", PricingUnit.NotTimeBasedSql("\"Unit\"")));
    }
}

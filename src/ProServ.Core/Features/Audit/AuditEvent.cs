using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;

namespace ProServ.Core.Features.Audit;

/// Who did what, when and why. Written in the same transaction as the change it describes.
public sealed class AuditEvent : ICustomerOwned<AuditEvent>
{
    public static Expression<Func<AuditEvent, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? ActorId { get; set; }
    public required string ActorName { get; set; }
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }
    public required string Action { get; set; }
    public string? Reason { get; set; }
    /// A short JSON document with the changed values (never secrets).
    public string? Data { get; set; }
    /// The customer the event concerns, so customer contacts can be shown their own history only.
    public Guid? CustomerId { get; set; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("AuditEvents");
        b.Property(a => a.ActorName).HasMaxLength(200);
        b.Property(a => a.EntityType).HasMaxLength(60);
        b.Property(a => a.EntityId).HasMaxLength(60);
        b.Property(a => a.Action).HasMaxLength(80);
        b.Property(a => a.Reason).HasMaxLength(2000);
        b.HasIndex(a => new { a.EntityType, a.EntityId });
        b.HasIndex(a => a.At);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ProServ.Core.Features.Outbox;

/// An event for other systems (webhooks, chat), written in the same transaction as the change that caused it,
/// and delivered later by background work, so a crash between commit and delivery loses nothing.
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public required string Type { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("OutboxMessages");
        b.Property(m => m.Type).HasMaxLength(100);
        b.Property(m => m.LastError).HasMaxLength(2000);
        b.HasIndex(m => m.ProcessedAt);
    }
}

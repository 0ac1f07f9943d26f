using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ProServ.Core.Features.Users;

/// A one-time link that lets the first administrator be created when no credentials were configured.
public sealed class SetupToken
{
    public Guid Id { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class SetupTokenConfiguration : IEntityTypeConfiguration<SetupToken>
{
    public void Configure(EntityTypeBuilder<SetupToken> b)
    {
        b.ToTable("SetupTokens");
        b.Property(t => t.Hash).HasMaxLength(64);
    }
}

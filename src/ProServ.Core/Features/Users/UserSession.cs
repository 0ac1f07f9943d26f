using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ProServ.Core.Features.Users;

/// One signed-in browser. Its id travels as a claim in the auth cookie and is checked on every request,
/// so ending a session (by its owner, an administrator or a credential change) takes effect at once.
public sealed class UserSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public ProServUser? User { get; set; }
    public string UserAgent { get; set; } = "";
    public string Address { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndReason { get; set; }
}

internal sealed class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public const int UserAgentLength = 300;
    public const int AddressLength = 64;
    public const int ReasonLength = 100;

    public void Configure(EntityTypeBuilder<UserSession> b)
    {
        b.ToTable("UserSessions");
        b.Property(s => s.UserAgent).HasMaxLength(UserAgentLength);
        b.Property(s => s.Address).HasMaxLength(AddressLength);
        b.Property(s => s.EndReason).HasMaxLength(ReasonLength);
        b.HasIndex(s => s.UserId);
        b.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

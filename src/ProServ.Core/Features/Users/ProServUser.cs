using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Features.Customers;

namespace ProServ.Core.Features.Users;

public sealed class ProServUser : IdentityUser<Guid>
{
    public string Name { get; set; } = "";

    /// Set only for customer contacts: the one customer whose data they may see.
    public Guid? CustomerId { get; set; }
    public Customer? Customer { get; set; }

    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class ProServRole : IdentityRole<Guid>
{
    public ProServRole() { }

    public ProServRole(string name) : base(name)
    {
        Id = Guid.NewGuid();
        NormalizedName = name.ToUpperInvariant();
    }
}

internal sealed class ProServUserConfiguration : IEntityTypeConfiguration<ProServUser>
{
    public void Configure(EntityTypeBuilder<ProServUser> b)
    {
        b.Property(u => u.Name).HasMaxLength(200).IsRequired();
        b.HasOne(u => u.Customer).WithMany().HasForeignKey(u => u.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

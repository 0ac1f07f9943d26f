using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;

namespace ProServ.Core.Features.Users;

public sealed class ProServUser : IdentityUser<Guid>, ICustomerOwned<ProServUser>
{
    public static Expression<Func<ProServUser, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public string Name { get; set; } = "";

    /// Set only for customer contacts: the one customer whose data they may see. The foreign key is declared by the
    /// Customers feature, which depends on Users and not the other way round.
    public Guid? CustomerId { get; set; }

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
    }
}

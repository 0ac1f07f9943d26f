using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;
using ProServ.Core.Features.Users;

namespace ProServ.Core.Features.Customers;

/// A subscription tier. The list is data; each tier says whether it is a paying (EE) tier. Free is CE.
public sealed class Tier
{
    public const string Free = "free";
    public const string Premium = "premium";
    public const string Ultimate = "ultimate";

    public required string Id { get; set; }
    public required string Name { get; set; }
    public bool IsPaying { get; set; }
    public int SortOrder { get; set; }
}

public sealed class Customer : ICustomerOwned<Customer>
{
    public static Expression<Func<Customer, Guid?>> OwnerCustomerId => x => x.Id;

    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string TierId { get; set; }
    public Tier? Tier { get; set; }
    public int LicensedSeats { get; set; }
    public int ActiveUsers { get; set; }
    public bool UpgradingFromCe { get; set; }
    public Guid? AccountExecutiveId { get; set; }
    public ProServUser? AccountExecutive { get; set; }
    public string? Notes { get; set; }
    public List<CustomerContact> Contacts { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }

    /// Active users over licensed seats, or null when no seats are licensed.
    public decimal? Utilisation => LicensedSeats <= 0 ? null : Math.Round((decimal)ActiveUsers / LicensedSeats, 4);
}

/// A person at the customer we deal with (not necessarily a user of ProServ).
public sealed class CustomerContact : ICustomerOwned<CustomerContact>
{
    public static Expression<Func<CustomerContact, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public Guid Id { get; set; }
    public Guid CustomerId { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }
    public string? Title { get; set; }
    public string? Phone { get; set; }
}

internal sealed class TierConfiguration : IEntityTypeConfiguration<Tier>
{
    public void Configure(EntityTypeBuilder<Tier> b)
    {
        b.ToTable("Tiers");
        b.Property(t => t.Id).HasMaxLength(40);
        b.Property(t => t.Name).HasMaxLength(100);
    }
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.ToTable("Customers");
        b.Property(c => c.Name).HasMaxLength(200);
        b.HasIndex(c => c.Name);
        b.Property(c => c.TierId).HasMaxLength(40);
        b.HasOne(c => c.Tier).WithMany().HasForeignKey(c => c.TierId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(c => c.AccountExecutive).WithMany().HasForeignKey(c => c.AccountExecutiveId).OnDelete(DeleteBehavior.SetNull);
        b.Property(c => c.Notes).HasMaxLength(4000);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Ignore(c => c.Utilisation);
        b.HasMany(c => c.Contacts).WithOne().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
        // A customer contact's user account; declared here so that Users needs nothing of Customers.
        b.HasMany<ProServUser>().WithOne().HasForeignKey(u => u.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CustomerContactConfiguration : IEntityTypeConfiguration<CustomerContact>
{
    public void Configure(EntityTypeBuilder<CustomerContact> b)
    {
        b.ToTable("CustomerContacts");
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.Email).HasMaxLength(320);
        b.Property(c => c.Title).HasMaxLength(200);
        b.Property(c => c.Phone).HasMaxLength(50);
    }
}

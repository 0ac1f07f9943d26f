using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;

namespace ProServ.Core.Features.Catalog;

public static class OfferingCategory
{
    public const string Discovery = "discovery";
    public const string Training = "training";
    public const string Migration = "migration";
    public const string Integration = "integration";
    public const string Certification = "certification";

    public static IReadOnlyList<string> All { get; } = [Discovery, Training, Migration, Integration, Certification];
}

/// How a package is priced. There is deliberately no per-hour or per-day unit: the handbook says
/// Professional Services are not sold by the hour or the day.
public static class PricingUnit
{
    public const string Fixed = "fixed";
    public const string PerSeat = "per-seat";
    public const string PerDelivery = "per-delivery";
    public const string PerRepository = "per-repository";
    public const string PerParticipant = "per-participant";
    public const string PerProject = "per-project";
    public const string PerIntegration = "per-integration";

    public static IReadOnlyList<string> All { get; } =
        [Fixed, PerSeat, PerDelivery, PerRepository, PerParticipant, PerProject, PerIntegration];

    /// Units that sell time rather than outcomes, once normalised (lower case; "_", " " and "/" as "-"). With
    /// TimeWords this is the one definition of a time-based unit: the catalog, quotes and the database constraints
    /// (NotTimeBasedSql) all use it, so no spelling is refused in one place and let through in another.
    public static IReadOnlyList<string> TimeBased { get; } =
        ["per-hour", "per-day", "hourly", "daily", "per-week", "h", "d", "per-h", "per-d", "-h", "-d", "hr", "per-hr"];

    /// A unit containing one of these sells time whatever surrounds it ("person-days", "per-half-day", "hours").
    public static IReadOnlyList<string> TimeWords { get; } = ["hour", "day"];

    public const string NoHourlyRatesRule = "no-hourly-rates";

    public const string NoHourlyRatesExplanation =
        "Professional Services are not sold by the hour or the day; price the outcome as a fixed, per-seat, per-delivery or per-repository package instead.";

    public static bool IsTimeBased(string unit)
    {
        var u = Normalise(unit);
        return TimeBased.Contains(u, StringComparer.Ordinal) || TimeWords.Any(w => u.Contains(w, StringComparison.Ordinal));
    }

    /// The handbook's rule: no hourly or daily rates, for catalog packages and quote lines alike.
    public static void EnsureNotTimeBased(string? unit)
    {
        if (unit is not null && IsTimeBased(unit))
        {
            throw new RuleViolationException(NoHourlyRatesRule, NoHourlyRatesExplanation);
        }
    }

    private static string Normalise(string unit) =>
        unit.Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-').Replace('/', '-');

    /// The same definition as a check constraint on a column, in SQL both SQLite and PostgreSQL accept.
    public static string NotTimeBasedSql(string column)
    {
        var normalised = $"replace(replace(replace(lower(trim({column})), '_', '-'), ' ', '-'), '/', '-')";
        var list = string.Join(", ", TimeBased.Select(u => $"'{u}'"));
        var words = string.Concat(TimeWords.Select(w => $" AND {normalised} NOT LIKE '%{w}%'"));
        return $"{normalised} NOT IN ({list}){words}";
    }

    public static bool IsKnown(string unit) => All.Contains(unit);
}

public sealed class Offering
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public required string Category { get; set; }
    public string Summary { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public int SortOrder { get; set; }
    public List<CatalogPackage> Packages { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
}

/// A package of an offering: what a customer buys, with a rough-order-of-magnitude price range.
public sealed class CatalogPackage
{
    public Guid Id { get; set; }
    public Guid OfferingId { get; set; }
    public required string Name { get; set; }
    public required string Unit { get; set; }
    public decimal RomLow { get; set; }
    public decimal RomHigh { get; set; }
    public required string Currency { get; set; }
    public string TypicalDuration { get; set; } = "";
    /// One deliverable per line.
    public string Deliverables { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public int SortOrder { get; set; }

    public IReadOnlyList<string> DeliverableList =>
        Deliverables.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class OfferingConfiguration : IEntityTypeConfiguration<Offering>
{
    public void Configure(EntityTypeBuilder<Offering> b)
    {
        b.ToTable("Offerings");
        b.Property(o => o.Slug).HasMaxLength(80);
        b.HasIndex(o => o.Slug).IsUnique();
        b.Property(o => o.Name).HasMaxLength(200);
        b.Property(o => o.Category).HasMaxLength(40);
        b.Property(o => o.Summary).HasMaxLength(4000);
        b.Property(o => o.Version).IsConcurrencyToken();
        b.HasMany(o => o.Packages).WithOne().HasForeignKey(p => p.OfferingId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CatalogPackageConfiguration : IEntityTypeConfiguration<CatalogPackage>
{
    public void Configure(EntityTypeBuilder<CatalogPackage> b)
    {
        b.ToTable("CatalogPackages");
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.Unit).HasMaxLength(40);
        b.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(p => p.RomLow).HasPrecision(18, 2);
        b.Property(p => p.RomHigh).HasPrecision(18, 2);
        b.Property(p => p.TypicalDuration).HasMaxLength(100);
        b.Property(p => p.Deliverables).HasMaxLength(4000);
        b.Ignore(p => p.DeliverableList);
        b.ToTable(t => t.HasCheckConstraint("CK_CatalogPackages_Unit_NotTimeBased", PricingUnit.NotTimeBasedSql("\"Unit\"")));
    }
}

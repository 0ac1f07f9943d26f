using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Catalog;

public sealed record PackageDto(Guid Id, string Name, string Unit, decimal RomLow, decimal RomHigh, string Currency,
    string TypicalDuration, IReadOnlyList<string> Deliverables, bool IsActive);

public sealed record OfferingDto(Guid Id, string Slug, string Name, string Category, string Summary, bool IsActive,
    IReadOnlyList<PackageDto> Packages, int Version);

public sealed record OfferingInput(string? Slug, string? Name, string? Category, string? Summary, bool? IsActive, int? Version = null);

public sealed record PackageInput(string? Name, string? Unit, decimal? RomLow, decimal? RomHigh, string? Currency,
    string? TypicalDuration, IReadOnlyList<string>? Deliverables, bool? IsActive);

public sealed class CatalogService(ProServDbContext db, AuditWriter audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<OfferingDto>> ListAsync(bool includeInactive, CancellationToken ct)
    {
        var q = db.Offerings.AsNoTracking().Include(o => o.Packages).AsQueryable();
        if (!includeInactive) q = q.Where(o => o.IsActive);
        var list = await q.OrderBy(o => o.SortOrder).ThenBy(o => o.Name).ToListAsync(ct);
        return list.Select(o => ToDto(o, includeInactive)).ToList();
    }

    public async Task<OfferingDto> GetAsync(string idOrSlug, CancellationToken ct)
    {
        var q = db.Offerings.AsNoTracking().Include(o => o.Packages);
        var offering = Guid.TryParse(idOrSlug, out var id)
            ? await q.FirstOrDefaultAsync(o => o.Id == id, ct)
            : await q.FirstOrDefaultAsync(o => o.Slug == idOrSlug, ct);
        return ToDto(offering ?? throw new NotFoundException("Offering"), includeInactive: true);
    }

    public async Task<OfferingDto> CreateOfferingAsync(Actor actor, OfferingInput input, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var slug = input.Slug?.Trim().ToLowerInvariant() ?? "";
        errors.Require(System.Text.RegularExpressions.Regex.IsMatch(slug, "^[a-z0-9]+(-[a-z0-9]+)*$") && slug.Length <= 80,
            "slug", "The slug is lower-case letters, digits and single hyphens, at most 80 characters.");
        ValidateOffering(errors, input.Name, input.Category, input.Summary, required: true);
        if (slug.Length > 0 && await db.Offerings.AnyAsync(o => o.Slug == slug, ct))
        {
            errors.Add("slug", $"An offering with the slug '{slug}' already exists.");
        }
        errors.ThrowIfAny();
        var offering = new Offering
        {
            Id = Guid.NewGuid(),
            Slug = slug,
            Name = input.Name!.Trim(),
            Category = input.Category!.Trim(),
            Summary = input.Summary?.Trim() ?? "",
            IsActive = input.IsActive ?? true,
            SortOrder = await db.Offerings.CountAsync(ct) + 1,
            UpdatedAt = clock.GetUtcNow(),
        };
        db.Offerings.Add(offering);
        audit.Record(actor, "offering", offering.Id, "offering.created", null, new { offering.Slug, offering.Name, offering.Category });
        await db.SaveChangesAsync(ct);
        return ToDto(offering, true);
    }

    public async Task<OfferingDto> UpdateOfferingAsync(Actor actor, Guid id, OfferingInput input, CancellationToken ct)
    {
        var offering = await db.Offerings.Include(o => o.Packages).FirstOrDefaultAsync(o => o.Id == id, ct)
            ?? throw new NotFoundException("Offering");
        if (input.Version is { } v && v != offering.Version)
        {
            throw new ConflictException("Edited by someone else", "This offering was changed by someone else since you opened it; reload and apply your change again.");
        }
        var errors = new ValidationErrors();
        ValidateOffering(errors, input.Name, input.Category, input.Summary, required: false);
        errors.ThrowIfAny();
        if (input.Name is not null) offering.Name = input.Name.Trim();
        if (input.Category is not null) offering.Category = input.Category.Trim();
        if (input.Summary is not null) offering.Summary = input.Summary.Trim();
        if (input.IsActive is { } active) offering.IsActive = active;
        offering.UpdatedAt = clock.GetUtcNow();
        offering.Version++;
        audit.Record(actor, "offering", offering.Id, "offering.updated", null,
            new { input.Name, input.Category, input.IsActive });
        await db.SaveChangesAsync(ct);
        return ToDto(offering, true);
    }

    public async Task<PackageDto> AddPackageAsync(Actor actor, Guid offeringId, PackageInput input, CancellationToken ct)
    {
        var offering = await db.Offerings.Include(o => o.Packages).FirstOrDefaultAsync(o => o.Id == offeringId, ct)
            ?? throw new NotFoundException("Offering");
        EnsureNotTimeBased(input.Unit);
        var errors = new ValidationErrors();
        ValidatePackage(errors, input.Name, input.Unit, input.RomLow, input.RomHigh, input.Currency, input.TypicalDuration, input.Deliverables, required: true);
        errors.ThrowIfAny();
        var package = new CatalogPackage
        {
            Id = Guid.NewGuid(),
            OfferingId = offeringId,
            Name = input.Name!.Trim(),
            Unit = input.Unit!.Trim(),
            RomLow = input.RomLow!.Value,
            RomHigh = input.RomHigh!.Value,
            Currency = input.Currency!.Trim().ToUpperInvariant(),
            TypicalDuration = input.TypicalDuration?.Trim() ?? "",
            Deliverables = JoinDeliverables(input.Deliverables),
            IsActive = input.IsActive ?? true,
            SortOrder = offering.Packages.Count + 1,
        };
        db.CatalogPackages.Add(package);
        offering.UpdatedAt = clock.GetUtcNow();
        audit.Record(actor, "offering", offeringId, "package.created", null,
            new { package.Id, package.Name, package.Unit, package.RomLow, package.RomHigh, package.Currency });
        await db.SaveChangesAsync(ct);
        return ToDto(package);
    }

    public async Task<PackageDto> UpdatePackageAsync(Actor actor, Guid packageId, PackageInput input, CancellationToken ct)
    {
        var package = await db.CatalogPackages.FirstOrDefaultAsync(p => p.Id == packageId, ct)
            ?? throw new NotFoundException("Package");
        EnsureNotTimeBased(input.Unit);
        var errors = new ValidationErrors();
        ValidatePackage(errors, input.Name, input.Unit, input.RomLow ?? package.RomLow, input.RomHigh ?? package.RomHigh,
            input.Currency, input.TypicalDuration, input.Deliverables, required: false);
        errors.ThrowIfAny();
        if (input.Name is not null) package.Name = input.Name.Trim();
        if (input.Unit is not null) package.Unit = input.Unit.Trim();
        if (input.RomLow is { } low) package.RomLow = low;
        if (input.RomHigh is { } high) package.RomHigh = high;
        if (input.Currency is not null) package.Currency = input.Currency.Trim().ToUpperInvariant();
        if (input.TypicalDuration is not null) package.TypicalDuration = input.TypicalDuration.Trim();
        if (input.Deliverables is not null) package.Deliverables = JoinDeliverables(input.Deliverables);
        if (input.IsActive is { } active) package.IsActive = active;
        audit.Record(actor, "offering", package.OfferingId, "package.updated", null,
            new { package.Id, package.Name, package.Unit, package.RomLow, package.RomHigh, package.Currency, package.IsActive });
        await db.SaveChangesAsync(ct);
        return ToDto(package);
    }

    public static void EnsureNotTimeBased(string? unit) => PricingUnit.EnsureNotTimeBased(unit);

    private static void ValidateOffering(ValidationErrors errors, string? name, string? category, string? summary, bool required)
    {
        if (required || name is not null)
            errors.Require(!string.IsNullOrWhiteSpace(name) && name.Trim().Length <= 200, "name", "Enter a name of at most 200 characters.");
        if (required || category is not null)
            errors.Require(category is not null && OfferingCategory.All.Contains(category.Trim()), "category",
                $"The category is one of: {string.Join(", ", OfferingCategory.All)}.");
        errors.Require(summary is null || summary.Length <= 4000, "summary", "The summary is longer than 4000 characters.");
    }

    private static void ValidatePackage(ValidationErrors errors, string? name, string? unit, decimal? low, decimal? high,
        string? currency, string? duration, IReadOnlyList<string>? deliverables, bool required)
    {
        if (required || name is not null)
            errors.Require(!string.IsNullOrWhiteSpace(name) && name.Trim().Length <= 200, "name", "Enter a package name of at most 200 characters.");
        if (required || unit is not null)
            errors.Require(unit is not null && PricingUnit.IsKnown(unit.Trim()), "unit",
                $"The pricing unit is one of: {string.Join(", ", PricingUnit.All)}.");
        if (required)
        {
            errors.Require(low is not null, "romLow", "Enter the low end of the ROM range.");
            errors.Require(high is not null, "romHigh", "Enter the high end of the ROM range.");
        }
        if (low is { } l) errors.Require(l >= 0, "romLow", "The ROM range cannot be negative.");
        if (low is { } lo && high is { } hi) errors.Require(lo <= hi, "romHigh", "The high end of the ROM range must not be below the low end.");
        if (required || currency is not null)
            errors.Require(currency is not null && System.Text.RegularExpressions.Regex.IsMatch(currency.Trim(), "^[A-Za-z]{3}$"),
                "currency", "The currency is a three-letter ISO 4217 code such as USD or EUR.");
        errors.Require(duration is null || duration.Length <= 100, "typicalDuration", "The typical duration is longer than 100 characters.");
        errors.Require(deliverables is null || JoinDeliverables(deliverables).Length <= 4000, "deliverables", "The deliverables are longer than 4000 characters.");
    }

    private static string JoinDeliverables(IReadOnlyList<string>? deliverables) =>
        string.Join('\n', (deliverables ?? []).Select(d => d.Trim()).Where(d => d.Length > 0));

    internal static OfferingDto ToDto(Offering o, bool includeInactive) => new(
        o.Id, o.Slug, o.Name, o.Category, o.Summary, o.IsActive,
        o.Packages.Where(p => includeInactive || p.IsActive).OrderBy(p => p.SortOrder).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(ToDto).ToList(),
        o.Version);

    internal static PackageDto ToDto(CatalogPackage p) =>
        new(p.Id, p.Name, p.Unit, p.RomLow, p.RomHigh, p.Currency, p.TypicalDuration, p.DeliverableList, p.IsActive);
}

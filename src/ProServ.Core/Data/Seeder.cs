using Microsoft.EntityFrameworkCore;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;

namespace ProServ.Core.Data;

/// Seeds reference data idempotently: the subscription tiers and the handbook's service catalog.
/// Existing rows are never overwritten, so administrators' edits survive restarts.
public sealed class Seeder(ProServDbContext db, TimeProvider clock, BoardSeeder board)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        var tiers = new[]
        {
            new Tier { Id = Tier.Free, Name = "Free (CE)", IsPaying = false, SortOrder = 1 },
            new Tier { Id = Tier.Premium, Name = "Premium", IsPaying = true, SortOrder = 2 },
            new Tier { Id = Tier.Ultimate, Name = "Ultimate", IsPaying = true, SortOrder = 3 },
        };
        var existingTiers = await db.Tiers.Select(t => t.Id).ToListAsync(ct);
        db.Tiers.AddRange(tiers.Where(t => !existingTiers.Contains(t.Id)));

        var existing = await db.Offerings.Select(o => o.Slug).ToListAsync(ct);
        var order = 0;
        foreach (var seed in CatalogSeed.Offerings)
        {
            order++;
            if (existing.Contains(seed.Slug)) continue;
            var offering = new Offering
            {
                Id = Guid.NewGuid(),
                Slug = seed.Slug,
                Name = seed.Name,
                Category = seed.Category,
                Summary = seed.Summary,
                SortOrder = order,
                UpdatedAt = clock.GetUtcNow(),
            };
            var p = 0;
            foreach (var sp in seed.Packages)
            {
                offering.Packages.Add(new CatalogPackage
                {
                    Id = Guid.NewGuid(),
                    Name = sp.Name,
                    Unit = sp.Unit,
                    RomLow = sp.Low,
                    RomHigh = sp.High,
                    Currency = "USD",
                    TypicalDuration = sp.Duration,
                    Deliverables = string.Join('\n', sp.Deliverables),
                    SortOrder = ++p,
                });
            }
            db.Offerings.Add(offering);
        }
        await db.SaveChangesAsync(ct);
        await board.SeedAsync(ct);
    }
}

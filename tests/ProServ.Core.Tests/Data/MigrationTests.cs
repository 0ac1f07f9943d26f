using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Data;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Data;

public sealed class MigrationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrations_BuildAnEmptyDatabaseThatMatchesTheModel(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider, migrate: false);
        await test.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ProServDbContext>();
            Assert.NotEmpty(db.Database.GetMigrations());
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
            Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration captures: add a migration for this provider.");
            // The schema answers real queries, not just the history table.
            Assert.Equal(0, await db.Customers.CountAsync(TestContext.Current.CancellationToken));
        });
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Seeding_IsIdempotent_AndKeepsAdministratorsEdits(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var ct = TestContext.Current.CancellationToken;
        await test.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ProServDbContext>();
            var discovery = await db.Offerings.SingleAsync(o => o.Slug == "discovery-engagement", ct);
            discovery.Name = "Discovery Week";
            await db.SaveChangesAsync(ct);
        });
        await test.InScopeAsync(sp => sp.GetRequiredService<Seeder>().SeedAsync(ct));
        await test.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ProServDbContext>();
            Assert.Equal(8, await db.Offerings.CountAsync(ct));
            Assert.Equal(3, await db.Tiers.CountAsync(ct));
            Assert.Equal("Discovery Week", (await db.Offerings.SingleAsync(o => o.Slug == "discovery-engagement", ct)).Name);
            Assert.False((await db.Tiers.SingleAsync(t => t.Id == "free", ct)).IsPaying);
        });
    }
}

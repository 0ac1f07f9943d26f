using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Agreements;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Quotes;
using ProServ.Core.Features.Scheduling;
using ProServ.Core.Features.SowDocuments;
using ProServ.Core.Features.SowRequests;
using ProServ.Core.Features.Users;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Common;

/// "A customer contact sees only its own customer's data" for every entity of the model that carries a customer,
/// found from the model itself: a new entity with a CustomerId, or hanging off a customer or an engagement, fails here
/// until it implements ICustomerOwned and has a row below.
public abstract class CustomerVisibilityTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// The entity types that belong to a customer, read from the EF model.
    private static List<Type> CarryingACustomer(ProServDbContext db) =>
        db.Model.GetEntityTypes()
            .Where(t => !t.IsOwned())
            .Where(t => t.ClrType == typeof(Customer)
                || t.FindProperty("CustomerId") is not null
                || t.GetForeignKeys().Any(fk => fk.PrincipalEntityType.ClrType == typeof(Customer) || fk.PrincipalEntityType.ClrType == typeof(Engagement)))
            .Select(t => t.ClrType).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    private static bool IsCustomerOwned(Type t) =>
        t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICustomerOwned<>));

    [Fact]
    public async Task EveryEntityCarryingACustomer_IsCustomerOwned()
    {
        await using var test = await TestDatabase.CreateAsync(provider, migrate: false);
        await using var scope = test.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
        var types = CarryingACustomer(db);
        Assert.Contains(typeof(Engagement), types);
        Assert.Contains(typeof(ScopingTask), types);
        Assert.Empty(types.Where(t => !IsCustomerOwned(t)).Select(t => t.Name));
    }

    [Fact]
    public async Task VisibleTo_ShowsAContactOnlyItsOwnCustomersRows_ForEveryOwnedEntity()
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        Guid a, b;
        await using (var scope = test.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ProServDbContext>();
            var user = await db.Users.Where(u => u.CustomerId == null).Select(u => u.Id).FirstOrDefaultAsync(Ct);
            if (user == Guid.Empty)
            {
                user = Guid.NewGuid();
                db.Users.Add(new ProServUser { Id = user, UserName = "team@x.test", Email = "team@x.test", Name = "Team" });
            }
            var offering = await db.Offerings.Select(o => o.Id).FirstAsync(Ct);
            var tier = await db.Tiers.Select(t => t.Id).FirstAsync(Ct);
            a = Seed(db, "A", tier, offering, user);
            b = Seed(db, "B", tier, offering, user);
            await db.SaveChangesAsync(Ct);
        }

        await using var read = test.Services.CreateAsyncScope();
        var ctx = read.ServiceProvider.GetRequiredService<ProServDbContext>();
        var contactOfA = new Actor(Guid.NewGuid(), "Contact of A", new HashSet<string>(StringComparer.Ordinal) { Role.CustomerContact }, a);
        var nobody = new Actor(Guid.NewGuid(), "No role", new HashSet<string>(StringComparer.Ordinal), null);
        var types = CarryingACustomer(ctx);
        Assert.NotEmpty(types);
        foreach (var type in types)
        {
            var count = typeof(CustomerVisibilityTests).GetMethod(nameof(CountAsync), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type);
            var counts = await (Task<(int, int, int, int, int)>)count.Invoke(null, [ctx, a, b, contactOfA, nobody])!;
            var (ofA, ofB, seenOfA, seenOfB, seenByNobody) = counts;
            Assert.True(ofA > 0 && ofB > 0, $"{type.Name}: the test seeds no row for both customers; add one to Seed.");
            Assert.True(seenOfA == ofA, $"{type.Name}: the contact of A sees {seenOfA} of A's {ofA} rows.");
            Assert.True(seenOfB == 0, $"{type.Name}: the contact of A sees {seenOfB} of B's rows.");
            Assert.True(seenByNobody == 0, $"{type.Name}: an actor with no role and no customer sees {seenByNobody} rows.");
        }
    }

    private static async Task<(int, int, int, int, int)> CountAsync<T>(ProServDbContext db, Guid a, Guid b, Actor contactOfA, Actor nobody)
        where T : class, ICustomerOwned<T>
    {
        var owner = T.OwnerCustomerId.Compile();
        var all = await db.Set<T>().AsNoTracking().IncludeOwnerPath().ToListAsync(Ct);
        var seen = await db.Set<T>().AsNoTracking().VisibleTo(contactOfA).IncludeOwnerPath().ToListAsync(Ct);
        var byNobody = await db.Set<T>().AsNoTracking().VisibleTo(nobody).CountAsync(Ct);
        return (all.Count(x => owner(x) == a), all.Count(x => owner(x) == b), seen.Count(x => owner(x) == a), seen.Count(x => owner(x) == b), byNobody);
    }

    /// One row of every customer-owned entity for a new customer; the team's user and the seeded catalog are shared.
    private static Guid Seed(ProServDbContext db, string name, string tier, Guid offering, Guid user)
    {
        var customer = new Customer { Id = Guid.NewGuid(), Name = "Customer " + name + " " + Guid.NewGuid().ToString("n")[..6], TierId = tier };
        var engagement = new Engagement { Id = Guid.NewGuid(), CustomerId = customer.Id, Title = "Engagement of " + name };
        engagement.Offerings.Add(new EngagementOffering { EngagementId = engagement.Id, OfferingId = offering });
        var version = new SowDocumentVersion
        {
            Id = Guid.NewGuid(),
            EngagementId = engagement.Id,
            CustomerId = customer.Id,
            Number = 1,
            Kind = SowVersionKind.Generated,
            FileName = "sow.docx",
            Content = [1],
            Sha256 = "00",
            CreatedByName = "Team",
        };
        db.AddRange(
            customer,
            new CustomerContact { Id = Guid.NewGuid(), CustomerId = customer.Id, Name = "Contact", Email = "c@x.test" },
            engagement,
            new ProServUser { Id = Guid.NewGuid(), UserName = $"{name}-{Guid.NewGuid():n}@x.test", Email = $"{name}@x.test", Name = "Contact " + name, CustomerId = customer.Id },
            new Issue { Title = "Issue of " + name, CustomerId = customer.Id, EngagementId = engagement.Id, AuthorName = "Team" },
            new Booking { Id = Guid.NewGuid(), EngagementId = engagement.Id, CustomerId = customer.Id, UserId = user, CreatedByName = "Team" },
            new Quote { Id = Guid.NewGuid(), EngagementId = engagement.Id, CustomerId = customer.Id, Number = 1, Currency = "EUR", Status = QuoteStatus.Issued },
            new Agreement { Id = Guid.NewGuid(), EngagementId = engagement.Id, CustomerId = customer.Id, Signer = "Signer" },
            new PurchaseOrder { Id = Guid.NewGuid(), EngagementId = engagement.Id, CustomerId = customer.Id, Number = "PO-" + name, Currency = "EUR" },
            new ScopingTask { Id = Guid.NewGuid(), EngagementId = engagement.Id, Kind = ScopingKind.TrainingOnly, Title = "Scope" },
            version,
            new SowChange { Id = Guid.NewGuid(), EngagementId = engagement.Id, CustomerId = customer.Id, VersionId = version.Id, VersionNumber = 1, Kind = SowChangeKind.Insertion, WordId = "1" },
            new SowRequest { Id = Guid.NewGuid(), CustomerId = customer.Id, EngagementId = engagement.Id, TemplateVersion = 1 },
            new AuditEvent { ActorName = "Team", EntityType = "customer", EntityId = customer.Id.ToString(), Action = "customer.created", CustomerId = customer.Id });
        return customer.Id;
    }
}

internal static class OwnerPathExtensions
{
    /// Owners reached through the engagement need it loaded to be read in memory.
    public static IQueryable<T> IncludeOwnerPath<T>(this IQueryable<T> q) where T : class =>
        typeof(T).GetProperty("Engagement") is not null && typeof(T).GetProperty("CustomerId") is null ? q.Include("Engagement") : q;
}

public sealed class SqliteCustomerVisibilityTests() : CustomerVisibilityTests(DatabaseProvider.Sqlite);

public sealed class PostgresCustomerVisibilityTests() : CustomerVisibilityTests(DatabaseProvider.Postgres);

using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Users;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Features.Audit;

/// A customer contact reads its engagement's history: what reached it, not how the team got there.
public sealed class ContactAuditTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<DatabaseProvider> Providers => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Contact_SeesOnlyCustomerFacingEvents_WithoutReasonsOrInternalPayload(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var customer = Guid.NewGuid();
        var engagement = Guid.NewGuid();
        var draft = Guid.NewGuid();
        var issued = Guid.NewGuid();
        await db.InScopeAsync(async sp =>
        {
            var audit = sp.GetRequiredService<AuditWriter>();
            var staff = Actor.System;
            audit.Record(staff, "engagement", engagement, "quote.created", null,
                new { quoteId = draft, number = 1, status = "awaiting-approval", total = 9000m, discountTotal = 1000m }, customer);
            audit.Record(staff, "engagement", engagement, "quote.approved", "Strategic account, keep it quiet", new { quoteId = draft, number = 1 }, customer);
            audit.Record(staff, "engagement", engagement, "quote.issued", null,
                new { quoteId = issued, number = 2, total = 9000m, currency = "USD" }, customer);
            audit.Record(staff, "engagement", engagement, "sow.version-generated", "Legal has not seen clause 4 yet",
                new { number = 1, sha256 = "abc", templateNumber = 3 }, customer);
            audit.Record(staff, "engagement", engagement, "scoping.signed-off", "Their AD is a mess", new { kind = "environment" }, customer);
            await sp.GetRequiredService<ProServDbContext>().SaveChangesAsync(Ct);
        });
        var contact = new Actor(Guid.NewGuid(), "Casey", new HashSet<string>(StringComparer.Ordinal) { Role.CustomerContact }, customer);
        var query = new AuditQuery("engagement", engagement.ToString());

        var seen = await db.InScopeAsync(sp => sp.GetRequiredService<AuditService>().ListAsync(contact, query, new PageRequest(1, 100), Ct));
        Assert.Equal(["sow.version-generated", "quote.issued"], seen.Items.Select(e => e.Action));
        Assert.Equal(2, seen.Total);
        Assert.All(seen.Items, e => Assert.Null(e.Reason));
        var quote = JsonDocument.Parse(seen.Items.Single(e => e.Action == "quote.issued").Data!).RootElement;
        Assert.Equal(issued, quote.GetProperty("quoteId").GetGuid());
        Assert.Equal(9000m, quote.GetProperty("total").GetDecimal());
        var version = JsonDocument.Parse(seen.Items.Single(e => e.Action == "sow.version-generated").Data!).RootElement;
        Assert.Equal(["number"], version.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain(seen.Items, e => (e.Data ?? "").Contains(draft.ToString(), StringComparison.Ordinal));

        // The team reads the whole history, reasons and all.
        var all = await db.InScopeAsync(sp => sp.GetRequiredService<AuditService>().ListAsync(Actor.System, query, new PageRequest(1, 100), Ct));
        Assert.Equal(5, all.Total);
        Assert.Contains(all.Items, e => e.Reason == "Strategic account, keep it quiet");
    }
}

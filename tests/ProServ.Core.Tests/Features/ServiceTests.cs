using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.ApiTokens;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Users;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Features;

/// The feature services on a real SQLite database, as the UI, the API and the CLI call them.
public sealed class ServiceTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Actor Admin = Actor.System;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private Task<T> Run<T>(Func<IServiceProvider, Task<T>> body) => _db.InScopeAsync(body);

    private Task<CustomerDto> NewCustomer(string name = "Acme", string tier = "premium") =>
        Run(sp => sp.GetRequiredService<CustomerService>().CreateAsync(Admin,
            new CustomerInput(name, tier, 100, 25, false, null, null, [new CustomerContactInput("Ada", "ada@acme.test", "CTO", null)]), Ct));

    [Fact]
    public async Task Customer_DuplicateNamesAreRefused_CaseInsensitively()
    {
        await NewCustomer("Acme");
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() => NewCustomer("ACME"));
        Assert.Contains("name", e.Errors.Keys);
    }

    [Fact]
    public async Task Customer_UtilisationIsActiveOverLicensed()
    {
        var c = await NewCustomer();
        Assert.Equal(0.25m, c.Utilisation);
        Assert.Single(c.Contacts);
        var none = await Run(sp => sp.GetRequiredService<CustomerService>().UpdateAsync(Admin, c.Id, new CustomerPatch(LicensedSeats: 0), Ct));
        Assert.Null(none.Utilisation);
    }

    [Fact]
    public async Task Customer_StaleVersionIsAConflict()
    {
        var c = await NewCustomer();
        await Run(sp => sp.GetRequiredService<CustomerService>().UpdateAsync(Admin, c.Id, new CustomerPatch(Name: "Acme 2", Version: c.Version), Ct));
        await Assert.ThrowsAsync<ConflictException>(() =>
            Run(sp => sp.GetRequiredService<CustomerService>().UpdateAsync(Admin, c.Id, new CustomerPatch(Name: "Acme 3", Version: c.Version), Ct)));
    }

    [Fact]
    public async Task Customer_AccountExecutiveMustHoldThatRole()
    {
        var engineer = await Run(sp => sp.GetRequiredService<UserService>().CreateAsync(Admin,
            new UserInput("eng@x.test", "a long enough passphrase", "Eng", [Role.PsEngineer], null), Ct));
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() => Run(sp => sp.GetRequiredService<CustomerService>()
            .CreateAsync(Admin, new CustomerInput("Globex", "premium", 1, 1, false, engineer.Id, null), Ct)));
        Assert.Contains("accountExecutiveId", e.Errors.Keys);
    }

    [Fact]
    public async Task CustomerContact_CannotHoldOtherRoles_AndIsBoundToACustomer()
    {
        var c = await NewCustomer();
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() => Run(sp => sp.GetRequiredService<UserService>().CreateAsync(Admin,
            new UserInput("cc@x.test", "a long enough passphrase", "CC", [Role.CustomerContact, Role.PsEngineer], c.Id), Ct)));
        Assert.Contains("roles", e.Errors.Keys);
        var staffWithCustomer = await Assert.ThrowsAsync<ValidationFailedException>(() => Run(sp => sp.GetRequiredService<UserService>().CreateAsync(Admin,
            new UserInput("pe@x.test", "a long enough passphrase", "PE", [Role.PsEngineer], c.Id), Ct)));
        Assert.Contains("customerId", staffWithCustomer.Errors.Keys);
        var ok = await Run(sp => sp.GetRequiredService<UserService>().CreateAsync(Admin,
            new UserInput("cc@x.test", "a long enough passphrase", "CC", [Role.CustomerContact], c.Id), Ct));
        Assert.Equal(c.Id, ok.CustomerId);
    }

    [Fact]
    public async Task Transition_WritesStageAndAuditTogether_AndARefusalWritesNothing()
    {
        var c = await NewCustomer();
        var offering = (await Run(sp => sp.GetRequiredService<CatalogService>().ListAsync(false, Ct)))[0];
        var e = await Run(sp => sp.GetRequiredService<EngagementService>().CreateAsync(Admin, new EngagementInput(c.Id, [offering.Id], "Rollout"), Ct));

        await Assert.ThrowsAsync<ConflictException>(() =>
            Run(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(Admin, e.Id, "closed", "too soon", Ct)));
        await Run(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(Admin, e.Id, "scoping", "discovery call done", Ct));

        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ProServDbContext>();
            var events = await db.AuditEvents.Where(a => a.EntityId == e.Id.ToString()).OrderBy(a => a.Id).ToListAsync(Ct);
            Assert.Equal(["engagement.created", "engagement.stage-changed"], events.Select(a => a.Action));
            Assert.Equal("discovery call done", events[1].Reason);
            Assert.Equal(_db.Clock.GetUtcNow(), events[1].At);
            var outbox = await db.OutboxMessages.Where(m => m.Type == "engagement.stage-changed").ToListAsync(Ct);
            Assert.Single(outbox);
            Assert.Contains(e.Id.ToString(), outbox[0].Payload, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TransitionGuards_CanRefuseAMove()
    {
        var c = await NewCustomer();
        var offering = (await Run(sp => sp.GetRequiredService<CatalogService>().ListAsync(false, Ct)))[0];
        var e = await Run(sp => sp.GetRequiredService<EngagementService>().CreateAsync(Admin, new EngagementInput(c.Id, [offering.Id], "Guarded"), Ct));
        await _db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ProServDbContext>();
            var service = new EngagementService(db, sp.GetRequiredService<AuditWriter>(), _db.Clock, [new RefuseScoping()]);
            var refusal = await Assert.ThrowsAsync<RuleViolationException>(() => service.TransitionAsync(Admin, e.Id, "scoping", null, Ct));
            Assert.Equal("test-rule", refusal.Rule);
        });
        var after = await Run(sp => sp.GetRequiredService<EngagementService>().GetAsync(Admin, e.Id, Ct));
        Assert.Equal("requested", after.Stage);
    }

    private sealed class RefuseScoping : IEngagementTransitionGuard
    {
        public Task CheckAsync(Engagement engagement, string to, Actor actor, CancellationToken ct) =>
            to == EngagementStage.Scoping ? throw new RuleViolationException("test-rule", "No scoping today.") : Task.CompletedTask;
    }

    [Fact]
    public async Task Audit_CustomerContactSeesOnlyItsOwnCustomersEvents()
    {
        var mine = await NewCustomer("Mine");
        await NewCustomer("Theirs");
        var contact = new Actor(Guid.NewGuid(), "contact", new HashSet<string> { Role.CustomerContact }, mine.Id);
        var page = await Run(sp => sp.GetRequiredService<AuditService>().ListAsync(contact, new AuditQuery(), new PageRequest(), Ct));
        Assert.NotEmpty(page.Items);
        Assert.All(page.Items, a => Assert.Equal(mine.Id.ToString(), a.EntityId));
    }

    [Fact]
    public async Task ApiToken_WorksUntilItExpires_AndOnlyItsHashIsStored()
    {
        var user = await Run(sp => sp.GetRequiredService<UserService>().CreateAsync(Admin,
            new UserInput("t@x.test", "a long enough passphrase", "T", [Role.PsEngineer], null), Ct));
        var created = await Run(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(Admin, user.Id, "cli", 2, Ct));
        Assert.Equal(user.Id, await Run(sp => sp.GetRequiredService<ApiTokenService>().AuthenticateAsync(created.Token, Ct)));
        await _db.InScopeAsync(async sp =>
            Assert.False(await sp.GetRequiredService<ProServDbContext>().ApiTokens.AnyAsync(t => t.Hash == created.Token, Ct)));
        _db.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Null(await Run(sp => sp.GetRequiredService<ApiTokenService>().AuthenticateAsync(created.Token, Ct)));
    }

    [Fact]
    public async Task ApiToken_LifetimeIsBounded()
    {
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Run(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(Admin, Guid.NewGuid(), "", 1000, Ct)));
        Assert.Contains("name", e.Errors.Keys);
        Assert.Contains("expiresInDays", e.Errors.Keys);
    }

    [Fact]
    public async Task Setup_LinkCreatesTheFirstAdministratorOnce()
    {
        var secret = await Run(sp => sp.GetRequiredService<SetupService>().IssueSetupTokenAsync(Ct));
        Assert.False(await Run(sp => sp.GetRequiredService<SetupService>().IsValidSetupTokenAsync("wrong", Ct)));
        var admin = await Run(sp => sp.GetRequiredService<SetupService>().CompleteAsync(secret, "root@x.test", "Root", "a long enough passphrase", Ct));
        Assert.Contains(Role.Administrator, admin.Roles);
        var again = await Assert.ThrowsAsync<RuleViolationException>(() =>
            Run(sp => sp.GetRequiredService<SetupService>().CompleteAsync(secret, "evil@x.test", "Evil", "a long enough passphrase", Ct)));
        Assert.Equal(403, again.Status);
    }

    [Fact]
    public async Task Setup_LinkExpires()
    {
        var secret = await Run(sp => sp.GetRequiredService<SetupService>().IssueSetupTokenAsync(Ct));
        Assert.True(await Run(sp => sp.GetRequiredService<SetupService>().IsValidSetupTokenAsync(secret, Ct)));
        _db.Clock.Advance(SetupService.LinkLifetime - TimeSpan.FromSeconds(1));
        Assert.True(await Run(sp => sp.GetRequiredService<SetupService>().IsValidSetupTokenAsync(secret, Ct)));
        _db.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(await Run(sp => sp.GetRequiredService<SetupService>().IsValidSetupTokenAsync(secret, Ct)));
    }
}

public sealed class UserRoleChangeTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task ACustomerContact_CanBecomeStaff_AndLosesItsCustomer()
    {
        var customer = await _db.InScopeAsync(sp => sp.GetRequiredService<CustomerService>().CreateAsync(Actor.System,
            new CustomerInput("Hooli", "premium", 1, 1, false, null, null), Ct));
        var contact = await _db.InScopeAsync(sp => sp.GetRequiredService<UserService>().CreateAsync(Actor.System,
            new UserInput("gavin@hooli.test", "a long enough passphrase", "Gavin", [Role.CustomerContact], customer.Id), Ct));
        var staff = await _db.InScopeAsync(sp => sp.GetRequiredService<UserService>().UpdateAsync(Actor.System, contact.Id,
            new UserPatch(Roles: [Role.PsEngineer]), Ct));
        Assert.Null(staff.CustomerId);
        Assert.Equal([Role.PsEngineer], staff.Roles);
    }

    [Fact]
    public async Task ABlankTier_IsRefused()
    {
        var customer = await _db.InScopeAsync(sp => sp.GetRequiredService<CustomerService>().CreateAsync(Actor.System,
            new CustomerInput("Pied Piper", "free", 1, 1, false, null, null), Ct));
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() => _db.InScopeAsync(sp =>
            sp.GetRequiredService<CustomerService>().UpdateAsync(Actor.System, customer.Id, new CustomerPatch(Tier: " "), Ct)));
        Assert.Contains("tier", e.Errors.Keys);
    }
}

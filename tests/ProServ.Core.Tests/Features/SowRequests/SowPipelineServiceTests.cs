using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Agreements;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.Quotes;
using ProServ.Core.Features.Scheduling;
using ProServ.Core.Features.SowRequests;
using ProServ.Core.Features.Users;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Features.SowRequests;

public abstract class SowDatabase(DatabaseProvider provider) : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Db = await TestDatabase.CreateAsync(provider);

    public async ValueTask DisposeAsync() => await Db.DisposeAsync();
}

public sealed class SqliteSowDatabase() : SowDatabase(DatabaseProvider.Sqlite);

public sealed class PostgresSowDatabase() : SowDatabase(DatabaseProvider.Postgres);

/// The SOW pipeline's services as the UI, the API and the CLI call them, on each database provider: every rule refuses
/// at the service, and a refusal saves nothing.
public abstract class SowPipelineServiceTests(SowDatabase fixture)
{
    private TestDatabase Db => fixture.Db;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Actor Admin = Actor.System;

    private Task<T> Run<T>(Func<IServiceProvider, Task<T>> body) => Db.InScopeAsync(body);

    private async Task<Actor> UserAsync(string role, Guid? customerId = null)
    {
        var email = $"{role}-{Guid.NewGuid():n}@x.test";
        var u = await Run(sp => sp.GetRequiredService<UserService>().CreateAsync(Admin,
            new UserInput(email, "a long enough passphrase", "Test " + role, [role], customerId), Ct));
        return new Actor(u.Id, "Test " + role, new HashSet<string>(StringComparer.Ordinal) { role }, customerId);
    }

    private Task<CustomerDto> CustomerAsync(string tier = "premium", bool upgrading = false) =>
        Run(sp => sp.GetRequiredService<CustomerService>().CreateAsync(Admin,
            new CustomerInput("Customer " + Guid.NewGuid().ToString("n")[..10], tier, 100, 30, upgrading, null, null), Ct));

    private async Task<OfferingDto> OfferingAsync(string slug) =>
        (await Run(sp => sp.GetRequiredService<CatalogService>().ListAsync(false, Ct))).Single(o => o.Slug == slug);

    private async Task<SowRequestInput> RequestAsync(Guid customerId, string[] slugs, string? useCase = null)
    {
        var ids = new List<Guid>();
        foreach (var s in slugs) ids.Add((await OfferingAsync(s)).Id);
        return new SowRequestInput(customerId, ids, "Standardise on GitLab", new SowEnvironmentInput("SVN", "Jenkins", "LDAP", "300"),
            "Q1 2027", [new SowContact("Ada", "ada@acme.test", "CTO")], useCase);
    }

    private Task<SowRequestDto> FileAsync(Actor actor, SowRequestInput input) =>
        Run(sp => sp.GetRequiredService<SowRequestService>().CreateAsync(actor, input, Ct));

    private async Task<QuoteInput> QuoteInputAsync(string slug, DiscountInput? discount = null, string? extraUnit = null)
    {
        var package = (await OfferingAsync(slug)).Packages[0];
        var lines = new List<QuoteLineInput> { new(package.Id, null, null, 1, package.RomLow, null) };
        if (extraUnit is not null) lines.Add(new QuoteLineInput(null, "Extra support", extraUnit, 3, 1500m, null));
        return new QuoteInput("USD", DateOnly.FromDateTime(Db.Clock.GetUtcNow().UtcDateTime).AddDays(30), lines, discount);
    }

    private async Task<int> CountAsync() => await Run(async sp =>
    {
        var db = sp.GetRequiredService<ProServDbContext>();
        return await db.Engagements.CountAsync(Ct) + await db.SowRequests.CountAsync(Ct) + await db.Quotes.CountAsync(Ct)
            + await db.AuditEvents.CountAsync(Ct) + await db.Bookings.CountAsync(Ct);
    });

    [Fact]
    public async Task Request_MissingFields_ListsThemAll_AndSavesNothing()
    {
        var ae = await UserAsync(Role.AccountExecutive);
        var c = await CustomerAsync();
        var migration = await OfferingAsync("migration-services");
        var before = await CountAsync();
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            FileAsync(ae, new SowRequestInput(c.Id, [migration.Id], null, null, null, null, null)));
        Assert.Equal(
            new[] { "contacts", "environment", "environment.authentication", "environment.ci", "environment.users", "environment.vcs", "goals", "timeline" },
            e.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Request_Accepted_CreatesTheEngagement_TheLabels_AndTheAuditInOneSave()
    {
        var ae = await UserAsync(Role.AccountExecutive);
        var c = await CustomerAsync("ultimate");
        var r = await FileAsync(ae, await RequestAsync(c.Id, ["gitlab-cicd-training"], "Churn risk: 20% utilisation"));
        Assert.Equal(["type::sow", "offering::gitlab-cicd-training", "tier::ultimate", "stage::requested"], r.Labels);
        Assert.True(r.TrainingOnly);
        Assert.Equal(ScopingKind.TrainingOnly, Assert.Single(r.ScopingTasks).Kind);
        var engagement = await Run(sp => sp.GetRequiredService<EngagementService>().GetAsync(ae, r.EngagementId, Ct));
        Assert.Equal(EngagementStage.Requested, engagement.Stage);
        Assert.Equal(ae.UserId, engagement.OwnerId);
        await Db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ProServDbContext>();
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == "sow-request.created" && a.EntityId == r.Id.ToString(), Ct));
            Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.Type == "sow-request.created" && m.Payload.Contains(r.Id.ToString()), Ct));
        });
    }

    [Theory]
    [InlineData("free", new[] { "migration-services" }, null, SowRules.CeNoServices)]
    [InlineData("free", new[] { "integration-services", "discovery-engagement" }, null, SowRules.CeNoServices)]
    [InlineData("free", new[] { "gitlab-git-basics" }, "Expansion", SowRules.TrainingOnlyRequiresEe)]
    [InlineData("premium", new[] { "gitlab-git-basics", "train-the-trainer" }, null, SowRules.TrainingOnlyRequiresUseCase)]
    public async Task Request_ThatBreaksARule_IsRefusedWithThatRule_AndSavesNothing(string tier, string[] slugs, string? useCase, string rule)
    {
        var ae = await UserAsync(Role.AccountExecutive);
        var c = await CustomerAsync(tier);
        var input = await RequestAsync(c.Id, slugs, useCase);
        var before = await CountAsync();
        var e = await Assert.ThrowsAsync<RuleViolationException>(() => FileAsync(ae, input));
        Assert.Equal(rule, e.Rule);
        Assert.Equal(422, e.Status);
        Assert.Equal(before, await CountAsync());

        var check = await Run(sp => sp.GetRequiredService<SowRequestService>().CheckAsync(ae, input, Ct));
        Assert.False(check.Accepted);
        Assert.Equal(rule, check.Rules[0].Rule);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task TrainingOnly_IsSignedOffByAPsManagerInScoping_BeforeTheQuoteIsIssued()
    {
        var ae = await UserAsync(Role.AccountExecutive);
        var engineer = await UserAsync(Role.PsEngineer);
        var manager = await UserAsync(Role.PsManager);
        var c = await CustomerAsync();
        var r = await FileAsync(ae, await RequestAsync(c.Id, ["gitlab-admin-training"], "New teams in Berlin"));
        var quote = await Run(async sp => await sp.GetRequiredService<QuoteService>().CreateAsync(ae, r.EngagementId, await QuoteInputAsync("gitlab-admin-training"), Ct));
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() =>
            Run(sp => sp.GetRequiredService<QuoteService>().IssueAsync(ae, quote.Id, null, Ct)));
        Assert.Equal(SowRules.TrainingOnlyRequiresUseCase, refused.Rule);

        var task = r.ScopingTasks[0];
        var early = await Assert.ThrowsAsync<RuleViolationException>(() =>
            Run(sp => sp.GetRequiredService<ScopingService>().CompleteAsync(manager, r.EngagementId, task.Id, null, Ct)));
        Assert.Equal(SowRules.TrainingOnlyRequiresUseCase, early.Rule);
        await Run(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(ae, r.EngagementId, EngagementStage.Scoping, null, Ct));
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            Run(sp => sp.GetRequiredService<ScopingService>().CompleteAsync(engineer, r.EngagementId, task.Id, null, Ct)));
        await Run(sp => sp.GetRequiredService<ScopingService>().CompleteAsync(manager, r.EngagementId, task.Id, "Scoped with CS", Ct));

        var issued = await Run(sp => sp.GetRequiredService<QuoteService>().IssueAsync(ae, quote.Id, null, Ct));
        Assert.Equal(QuoteStatus.Issued, issued.Status);
        var moved = await Run(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(ae, r.EngagementId, EngagementStage.Quoted, null, Ct));
        Assert.Equal(EngagementStage.Quoted, moved.Stage);
    }

    [Fact]
    public async Task CeUpgrade_ScopingTaskIsCreatedAutomatically_AndBlocksQuotingUntilDone()
    {
        var ae = await UserAsync(Role.AccountExecutive);
        var engineer = await UserAsync(Role.PsEngineer);
        var c = await CustomerAsync("premium", upgrading: true);
        var r = await FileAsync(ae, await RequestAsync(c.Id, ["migration-services", "integration-services"]));
        var task = Assert.Single(r.ScopingTasks);
        Assert.Equal(ScopingKind.CeUpgrade, task.Kind);
        var input = await QuoteInputAsync("migration-services");
        var e = await Assert.ThrowsAsync<RuleViolationException>(() =>
            Run(sp => sp.GetRequiredService<QuoteService>().CreateAsync(ae, r.EngagementId, input, Ct)));
        Assert.Equal(SowRules.CeUpgradeNeedsScoping, e.Rule);
        var move = await Assert.ThrowsAsync<RuleViolationException>(() =>
            Run(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(ae, r.EngagementId, EngagementStage.Quoted, null, Ct)));
        Assert.Equal(SowRules.CeUpgradeNeedsScoping, move.Rule);

        await Run(sp => sp.GetRequiredService<ScopingService>().CompleteAsync(engineer, r.EngagementId, task.Id, "LDAP then waves", Ct));
        await Run(sp => sp.GetRequiredService<QuoteService>().CreateAsync(ae, r.EngagementId, input, Ct));
    }

    [Fact]
    public async Task CeUpgrade_EngagementCreatedWithoutARequest_GetsItsScopingTaskOnEnteringScoping()
    {
        var ae = await UserAsync(Role.AccountExecutive);
        var c = await CustomerAsync("premium", upgrading: true);
        var e = await Run(async sp => await sp.GetRequiredService<EngagementService>().CreateAsync(ae,
            new EngagementInput(c.Id, [(await OfferingAsync("migration-services")).Id], "Direct"), Ct));
        await Run(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(ae, e.Id, EngagementStage.Scoping, null, Ct));
        var tasks = await Run(sp => sp.GetRequiredService<ScopingService>().ListAsync(ae, e.Id, Ct));
        Assert.Equal(ScopingKind.CeUpgrade, Assert.Single(tasks).Kind);
    }

    [Fact]
    public async Task Quote_NoHourlyRates_DiscountApprovalByTheDirectorOnly_AndIssueAfterApproval()
    {
        var ae = await UserAsync(Role.AccountExecutive);
        var director = await UserAsync(Role.DirectorCustomerSuccess);
        var c = await CustomerAsync();
        var r = await FileAsync(ae, await RequestAsync(c.Id, ["migration-services"]));
        var quotes = (IServiceProvider sp) => sp.GetRequiredService<QuoteService>();

        var before = await CountAsync();
        var hourly = await Assert.ThrowsAsync<RuleViolationException>(async () =>
            await Run(async sp => await quotes(sp).CreateAsync(ae, r.EngagementId, await QuoteInputAsync("migration-services", extraUnit: "per-hour"), Ct)));
        Assert.Equal(SowRules.NoHourlyRates, hourly.Rule);
        Assert.Equal(before, await CountAsync());

        var q = await Run(async sp => await quotes(sp).CreateAsync(ae, r.EngagementId,
            await QuoteInputAsync("migration-services", new DiscountInput(null, 500m)), Ct));
        Assert.Equal(QuoteStatus.AwaitingApproval, q.Status);
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => Run(sp => quotes(sp).IssueAsync(ae, q.Id, null, Ct)));
        Assert.Equal(SowRules.DiscountNeedsApproval, refused.Rule);
        await Assert.ThrowsAsync<ForbiddenException>(() => Run(sp => quotes(sp).ApproveAsync(ae, q.Id, "ok", null, Ct)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Run(sp => quotes(sp).ApproveAsync(Admin, q.Id, "ok", null, Ct)));
        await Assert.ThrowsAsync<ConflictException>(() => Run(sp => quotes(sp).ApproveAsync(director, q.Id, "ok", q.RowVersion + 1, Ct)));

        var approved = await Run(sp => quotes(sp).ApproveAsync(director, q.Id, "Multi-year deal", q.RowVersion, Ct));
        Assert.Equal(QuoteStatus.Approved, approved.Status);
        Assert.Equal("Multi-year deal", approved.Decision!.Comment);
        var current = await Run(sp => quotes(sp).GetCurrentForEngagementAsync(ae, r.EngagementId, Ct));
        Assert.Equal(q.Id, current!.Id);
        await Run(sp => quotes(sp).IssueAsync(ae, q.Id, approved.RowVersion, Ct));
        await Db.InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<ProServDbContext>();
            var actions = await db.AuditEvents.Where(a => a.EntityType == "quote" && a.EntityId == q.Id.ToString()).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct);
            Assert.Equal(["quote.created", "quote.approved", "quote.issued"], actions);
            // Money survives the round trip exactly on both providers.
            var stored = await db.Quotes.AsNoTracking().SingleAsync(x => x.Id == q.Id, Ct);
            Assert.Equal(q.Total, stored.Total);
            Assert.Equal(500m, stored.DiscountTotal);
        });
    }

    [Fact]
    public async Task Quote_InACurrencyTheCatalogDoesNotUse_IsRefused()
    {
        var ae = await UserAsync(Role.AccountExecutive);
        var c = await CustomerAsync();
        var r = await FileAsync(ae, await RequestAsync(c.Id, ["migration-services"]));
        var input = (await QuoteInputAsync("migration-services")) with { Currency = "GBP" };
        var e = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Run(sp => sp.GetRequiredService<QuoteService>().CreateAsync(ae, r.EngagementId, input, Ct)));
        Assert.Contains("currency", e.Errors.Keys);
    }

    [Fact]
    public async Task DateGate_RefusesConfirmedBookingsAndScheduling_UntilAgreementAndPoAreRecorded()
    {
        var manager = await UserAsync(Role.PsManager);
        var specialist = await UserAsync(Role.PsEngineer);
        var c = await CustomerAsync();
        var r = await FileAsync(manager, await RequestAsync(c.Id, ["discovery-engagement"]));
        var start = Db.Clock.GetUtcNow().AddDays(14);
        var bookings = (IServiceProvider sp) => sp.GetRequiredService<BookingService>();

        var tentative = await Run(sp => bookings(sp).CreateAsync(manager, r.EngagementId, new BookingInput(specialist.UserId, start, start.AddDays(5), false), Ct));
        var e = await Assert.ThrowsAsync<RuleViolationException>(() =>
            Run(sp => bookings(sp).CreateAsync(manager, r.EngagementId, new BookingInput(specialist.UserId, start, start.AddDays(5), true), Ct)));
        Assert.Equal(SowRules.NoDatesBeforeAgreementAndPo, e.Rule);
        await Assert.ThrowsAsync<RuleViolationException>(() => Run(sp => bookings(sp).ConfirmAsync(manager, tentative.Id, null, Ct)));
        foreach (var stage in new[] { EngagementStage.Quoted, EngagementStage.SowReview, EngagementStage.Signed })
        {
            await Run(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(manager, r.EngagementId, stage, null, Ct));
        }
        var move = await Assert.ThrowsAsync<RuleViolationException>(() =>
            Run(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(manager, r.EngagementId, EngagementStage.Scheduled, null, Ct)));
        Assert.Equal(SowRules.NoDatesBeforeAgreementAndPo, move.Rule);

        var today = DateOnly.FromDateTime(Db.Clock.GetUtcNow().UtcDateTime);
        await Run(sp => sp.GetRequiredService<AgreementService>().RecordAgreementAsync(manager, r.EngagementId, new AgreementInput(today, "Grace"), null, Ct));
        await Assert.ThrowsAsync<RuleViolationException>(() => Run(sp => bookings(sp).ConfirmAsync(manager, tentative.Id, null, Ct)));
        await Run(sp => sp.GetRequiredService<AgreementService>().RecordPurchaseOrderAsync(manager, r.EngagementId,
            new PurchaseOrderInput("PO-9", 20000m, "usd", today), null, Ct));

        var confirmed = await Run(sp => bookings(sp).ConfirmAsync(manager, tentative.Id, tentative.RowVersion, Ct));
        Assert.True(confirmed.Confirmed);
        var scheduled = await Run(sp => sp.GetRequiredService<EngagementService>().TransitionAsync(manager, r.EngagementId, EngagementStage.Scheduled, null, Ct));
        Assert.Equal(EngagementStage.Scheduled, scheduled.Stage);
    }

    [Fact]
    public async Task AgreementFiles_AreTyped_AndReadOnlyByTheirOwnCustomer()
    {
        var ae = await UserAsync(Role.AccountExecutive);
        var c = await CustomerAsync();
        var other = await CustomerAsync();
        var r = await FileAsync(ae, await RequestAsync(c.Id, ["discovery-engagement"]));
        var today = DateOnly.FromDateTime(Db.Clock.GetUtcNow().UtcDateTime);
        var agreements = (IServiceProvider sp) => sp.GetRequiredService<AgreementService>();

        await using (var text = new MemoryStream("just text"u8.ToArray()))
        {
            var e = await Assert.ThrowsAsync<ValidationFailedException>(() => Run(sp => agreements(sp).RecordAgreementAsync(ae, r.EngagementId,
                new AgreementInput(today, "Grace"), new FileUpload("a.pdf", text), Ct)));
            Assert.Contains("file", e.Errors.Keys);
        }
        Assert.Null((await Run(sp => agreements(sp).GetAsync(ae, r.EngagementId, Ct))).Agreement);

        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n");
        await using (var content = new MemoryStream(pdf))
        {
            await Run(sp => agreements(sp).RecordAgreementAsync(ae, r.EngagementId, new AgreementInput(today, "Grace"), new FileUpload("signed.pdf", content), Ct));
        }
        var mine = await UserAsync(Role.CustomerContact, c.Id);
        var theirs = await UserAsync(Role.CustomerContact, other.Id);
        var download = await Run(sp => agreements(sp).OpenAgreementFileAsync(mine, r.EngagementId, Ct));
        await using (download.Content)
        {
            using var copy = new MemoryStream();
            await download.Content.CopyToAsync(copy, Ct);
            Assert.Equal(pdf, copy.ToArray());
        }
        await Assert.ThrowsAsync<NotFoundException>(() => Run(sp => agreements(sp).OpenAgreementFileAsync(theirs, r.EngagementId, Ct)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Run(sp => agreements(sp).RecordAgreementAsync(mine, r.EngagementId, new AgreementInput(today, "Me"), null, Ct)));
    }
}

public sealed class SqliteSowPipelineServiceTests(SqliteSowDatabase db) : SowPipelineServiceTests(db), IClassFixture<SqliteSowDatabase>;

public sealed class PostgresSowPipelineServiceTests(PostgresSowDatabase db) : SowPipelineServiceTests(db), IClassFixture<PostgresSowDatabase>;

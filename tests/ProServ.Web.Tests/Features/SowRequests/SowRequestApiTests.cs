using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.SowRequests;

/// SOW requests and the eligibility rules through the API, on each database provider.
public abstract class SowRequestApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_Complete_CreatesEngagementInRequested_WithBoardLabels()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var customer = await App.CustomerAsync("ultimate");
        var migration = await ae.OfferingAsync("migration-services");
        var integration = await ae.OfferingAsync("integration-services");
        var created = await (await ae.PostRequestAsync(SowApi.Request(customer, [migration, integration]))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("requested", created.Str("stage"));
        var labels = created.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToList();
        Assert.Equal(["type::sow", "offering::migration-services", "offering::integration-services", "tier::ultimate", "stage::requested"], labels);
        Assert.Empty(created.GetProperty("scopingTasks").EnumerateArray());

        var engagement = await (await ae.GetAsync($"/api/v1/engagements/{created.GetProperty("engagementId").GetGuid()}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("requested", engagement.Str("stage"));
        Assert.Equal(2, engagement.GetProperty("offerings").GetArrayLength());
        var fetched = await (await ae.GetAsync($"/api/v1/sow-requests/{created.Id()}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Jenkins", fetched.GetProperty("environment").Str("ci"));
        Assert.Equal("ada@customer.test", fetched.GetProperty("contacts")[0].Str("email"));

        // The request is on the PS board as a confidential sow-request issue with the same labels, and its stage label
        // follows the engagement.
        var engagementId = created.GetProperty("engagementId").GetGuid();
        async Task<System.Text.Json.JsonElement> BoardIssue()
        {
            var page = await (await ae.GetAsync($"/api/v1/issues?type=sow-request&customerId={customer}", Ct)).JsonAsync(HttpStatusCode.OK);
            return Assert.Single(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("engagementId").GetGuid() == engagementId);
        }
        var issue = await BoardIssue();
        Assert.True(issue.GetProperty("confidential").GetBoolean());
        Assert.Equal(["integration-services", "migration-services", "offering::multiple", "stage::requested", "tier::ultimate", "type::sow"],
            issue.GetProperty("labels").EnumerateArray().Select(l => l.Str("name")).Order(StringComparer.Ordinal));
        Assert.Contains("Jenkins", issue.Str("description"), StringComparison.Ordinal);
        await (await ae.MoveAsync(engagementId, "scoping")).JsonAsync(HttpStatusCode.OK);
        var moved = (await BoardIssue()).GetProperty("labels").EnumerateArray().Select(l => l.Str("name")).ToList();
        Assert.Contains("stage::scoping", moved);
        Assert.DoesNotContain("stage::requested", moved);
    }

    [Fact]
    public async Task Request_MissingInformation_Is422ListingEveryMissingFieldAtOnce()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var customer = await App.CustomerAsync();
        var migration = await ae.OfferingAsync("migration-services");
        await using var db = App.NewDbContext();
        var before = await db.Engagements.CountAsync(Ct);

        var problem = await (await ae.PostRequestAsync(new { customerId = customer, offeringIds = new[] { migration } }))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "goals", "environment.vcs", "environment.ci", "environment.authentication", "environment.users", "timeline", "contacts" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.False(errors.TryGetProperty("useCase", out _), "the use case is required for training-only requests only");
        Assert.Equal(before, await db.Engagements.CountAsync(Ct));

        var nothing = await (await ae.PostRequestAsync(new { })).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(nothing.GetProperty("errors").TryGetProperty("customerId", out _));
        Assert.True(nothing.GetProperty("errors").TryGetProperty("offeringIds", out _));
    }

    [Fact]
    public async Task Request_CeCustomerWantingServices_IsRefusedWithCeNoServices_ReferringToPartners()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var ce = await App.CustomerAsync("free");
        var problem = await (await ae.PostRequestAsync(SowApi.Request(ce, [await ae.OfferingAsync("integration-services")])))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ce-no-services", problem.Str("rule"));
        Assert.Equal(["ce-no-services"], problem.Rules());
        Assert.Contains("partner", problem.Str("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Discovery Engagement", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_CeCustomerWantingADiscoveryEngagement_IsAccepted()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var ce = await App.CustomerAsync("free");
        var created = await (await ae.PostRequestAsync(SowApi.Request(ce, [await ae.OfferingAsync("discovery-engagement")])))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Contains("tier::free", created.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task Request_TrainingOnlyForAFreeCustomer_IsRefusedWithTrainingOnlyRequiresEe()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var ce = await App.CustomerAsync("free");
        var problem = await (await ae.PostRequestAsync(SowApi.Request(ce, [await ae.OfferingAsync("gitlab-cicd-training")], "Low utilisation")))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("training-only-requires-ee", problem.Str("rule"));
    }

    [Fact]
    public async Task Request_TrainingOnlyWithoutUseCase_IsRefusedWithTrainingOnlyRequiresUseCase()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var customer = await App.CustomerAsync("premium");
        var problem = await (await ae.PostRequestAsync(SowApi.Request(customer,
                [await ae.OfferingAsync("gitlab-cicd-training"), await ae.OfferingAsync("gitlab-admin-training")])))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("training-only-requires-use-case", problem.Str("rule"));
        Assert.Contains("use case", problem.Str("detail"), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("useCase", out _));
    }

    [Fact]
    public async Task DryRun_ReturnsEveryRuleThatWouldFire_AndSavesNothing()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var ce = await App.CustomerAsync("free");
        var premium = await App.CustomerAsync();
        await using var db = App.NewDbContext();
        var before = (await db.Engagements.CountAsync(Ct), await db.SowRequests.CountAsync(Ct), await db.AuditEvents.CountAsync(Ct));

        var training = SowApi.Request(ce, [await ae.OfferingAsync("gitlab-git-basics")]);
        var check = await (await ae.PostRequestAsync(training, dryRun: true)).JsonAsync(HttpStatusCode.OK);
        Assert.False(check.GetProperty("accepted").GetBoolean());
        var rules = check.GetProperty("rules").EnumerateArray().Select(r => r.Str("rule")).ToList();
        Assert.Equal(["training-only-requires-ee", "ce-no-services"], rules);
        Assert.All(check.GetProperty("rules").EnumerateArray(), r => Assert.NotEmpty(r.Str("detail")));
        Assert.True(check.GetProperty("errors").TryGetProperty("useCase", out _));

        var ok = await (await ae.PostRequestAsync(SowApi.Request(premium, [await ae.OfferingAsync("migration-services")]), dryRun: true))
            .JsonAsync(HttpStatusCode.OK);
        Assert.True(ok.GetProperty("accepted").GetBoolean());
        Assert.Empty(ok.GetProperty("rules").EnumerateArray());

        Assert.Equal(before, (await db.Engagements.CountAsync(Ct), await db.SowRequests.CountAsync(Ct), await db.AuditEvents.CountAsync(Ct)));
    }

    [Fact]
    public async Task CeUpgrade_WithServices_CreatesAScopingTask_AndCannotBeQuotedBeforeItIsDone()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var (_, _, engineer) = await App.UserAsync(["ps-engineer"]);
        var customer = await App.CustomerAsync("premium", upgradingFromCe: true);
        var created = await (await ae.PostRequestAsync(SowApi.Request(customer, [await ae.OfferingAsync("migration-services")])))
            .JsonAsync(HttpStatusCode.Created);
        var engagement = created.GetProperty("engagementId").GetGuid();
        var task = Assert.Single(created.GetProperty("scopingTasks").EnumerateArray().ToList());
        Assert.Equal("ce-upgrade", task.Str("kind"));
        Assert.False(task.GetProperty("done").GetBoolean());

        var package = await ae.PackageAsync("migration-services");
        var quote = new { currency = "USD", validUntil = SowApi.ValidUntil, lines = new[] { new { packageId = package.Id, quantity = 1, unitPrice = package.Low } } };
        var refused = await (await engineer.PostQuoteAsync(engagement, quote)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ce-upgrade-needs-scoping", refused.Str("rule"));
        var move = await (await engineer.MoveAsync(engagement, "quoted")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ce-upgrade-needs-scoping", move.Str("rule"));

        (await engineer.PostAsJsonAsync($"/api/v1/engagements/{engagement}/scoping/{task.Id()}/complete", new { notes = "Two waves; LDAP first." }, Ct))
            .EnsureSuccessStatusCode();
        await (await engineer.PostQuoteAsync(engagement, quote)).JsonAsync(HttpStatusCode.Created);
        await (await engineer.MoveAsync(engagement, "quoted")).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TrainingOnly_MustPassScopingSignedOffByAPsManager_BeforeAQuoteIsIssued()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var (_, _, engineer) = await App.UserAsync(["ps-engineer"]);
        var (_, _, manager) = await App.UserAsync(["ps-manager"]);
        var customer = await App.CustomerAsync("premium");
        var engagement = await ae.EngagementViaRequestAsync(customer, ["gitlab-admin-training"], "Licence utilisation is 30%; renewal at risk.");
        var package = await ae.PackageAsync("gitlab-admin-training");
        var quote = await (await ae.PostQuoteAsync(engagement, new
        {
            currency = "USD", validUntil = SowApi.ValidUntil, lines = new[] { new { packageId = package.Id, quantity = 2, unitPrice = package.Low } },
        })).JsonAsync(HttpStatusCode.Created);

        var issue = await (await ae.PostAsync($"/api/v1/quotes/{quote.Id()}/issue", null, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("training-only-requires-use-case", issue.Str("rule"));
        Assert.Contains("PS manager", issue.Str("detail"), StringComparison.Ordinal);
        var skip = await (await ae.MoveAsync(engagement, "quoted")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("training-only-requires-use-case", skip.Str("rule"));

        await (await ae.MoveAsync(engagement, "scoping")).JsonAsync(HttpStatusCode.OK);
        var tasks = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/scoping", Ct)).JsonAsync(HttpStatusCode.OK);
        var task = Assert.Single(tasks.EnumerateArray().ToList());
        Assert.Equal("training-only", task.Str("kind"));
        await (await engineer.PostAsJsonAsync($"/api/v1/engagements/{engagement}/scoping/{task.Id()}/complete", new { notes = "x" }, Ct))
            .ProblemAsync(HttpStatusCode.Forbidden);
        var signed = await (await manager.PostAsJsonAsync($"/api/v1/engagements/{engagement}/scoping/{task.Id()}/complete",
            new { notes = "Two admin classes" }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.True(signed.GetProperty("done").GetBoolean());

        await (await ae.PostAsync($"/api/v1/quotes/{quote.Id()}/issue", null, Ct)).JsonAsync(HttpStatusCode.OK);
        await (await ae.MoveAsync(engagement, "quoted")).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Template_IsEditedByAdministratorsOnly_AndEachEditIsANewVersion()
    {
        var admin = await App.AdminAsync();
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var template = await (await ae.GetAsync("/api/v1/sow-requests/template", Ct)).JsonAsync(HttpStatusCode.OK);
        var version = template.GetProperty("version").GetInt32();
        var fields = template.GetProperty("fields").EnumerateArray()
            .Select(f => new { key = f.Str("key"), label = f.Str("label"), help = f.Str("help"), required = f.Str("key") == "timeline" ? "optional" : f.Str("required") })
            .ToList();

        await (await ae.PutAsJsonAsync("/api/v1/sow-requests/template", new { fields, version }, Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        var saved = await (await admin.PutAsJsonAsync("/api/v1/sow-requests/template", new { fields, version, note = "Timeline optional" }, Ct))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(version + 1, saved.GetProperty("version").GetInt32());
        await (await admin.PutAsJsonAsync("/api/v1/sow-requests/template", new { fields, version }, Ct)).ProblemAsync(HttpStatusCode.Conflict);

        var bad = fields.Select(f => f.key == "customerId" ? f with { required = "optional" } : f).Append(new { key = "shoeSize", label = "Shoe", help = "", required = "always" });
        var invalid = await (await admin.PutAsJsonAsync("/api/v1/sow-requests/template", new { fields = bad, version = version + 1 }, Ct))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, invalid.GetProperty("errors").GetProperty("fields").GetArrayLength());

        var problem = await (await ae.PostRequestAsync(new { customerId = await App.CustomerAsync(), offeringIds = new[] { await ae.OfferingAsync("migration-services") } }))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.False(problem.GetProperty("errors").TryGetProperty("timeline", out _));

        // Put the default back for the other tests of this class.
        var restore = template.GetProperty("fields").EnumerateArray()
            .Select(f => new { key = f.Str("key"), label = f.Str("label"), help = f.Str("help"), required = f.Str("required") });
        await (await admin.PutAsJsonAsync("/api/v1/sow-requests/template", new { fields = restore, version = version + 1 }, Ct)).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Requests_AreFiledByTheTeam_AndACustomerContactSeesOnlyItsOwn()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var mine = await App.CustomerAsync();
        var theirs = await App.CustomerAsync();
        var (_, _, contact) = await App.UserAsync(["customer-contact"], mine);
        var request = SowApi.Request(theirs, [await ae.OfferingAsync("discovery-engagement")]);
        await (await contact.PostRequestAsync(request)).ProblemAsync(HttpStatusCode.Forbidden);
        var created = await (await ae.PostRequestAsync(request)).JsonAsync(HttpStatusCode.Created);
        await (await contact.GetAsync($"/api/v1/sow-requests/{created.Id()}", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        var list = await (await contact.GetAsync("/api/v1/sow-requests", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        // Their own request, without the account team's reasoning.
        var own = await (await ae.PostRequestAsync(SowApi.Request(mine, [await ae.OfferingAsync("gitlab-git-basics")], "Churn risk"))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("Churn risk", own.Str("useCase"));
        var seen = await (await contact.GetAsync($"/api/v1/sow-requests/{own.Id()}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, seen.GetProperty("useCase").ValueKind);
    }
}

public sealed class SqliteSowRequestApiTests(SqliteApp app) : SowRequestApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresSowRequestApiTests(PostgresApp app) : SowRequestApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

using System.Net;
using System.Net.Http.Json;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Engagements;

/// Engagements through the API, run against each database provider.
public abstract class EngagementsApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Engagements_MoveOnlyAlongAllowedTransitions_AndEveryMoveIsAudited()
    {
        var (_, _, engineer) = await App.UserAsync(["ps-engineer"]);
        var customer = await App.CustomerAsync();
        var offering = (await (await engineer.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK))[0].Id();
        var created = await (await engineer.PostAsJsonAsync("/api/v1/engagements",
            new { customerId = customer, offeringIds = new[] { offering }, title = "HA rollout" }, Ct)).JsonAsync(HttpStatusCode.Created);
        var id = created.Id();
        Assert.Equal("requested", created.Str("stage"));

        async Task<HttpResponseMessage> Move(string to, string? reason = null) =>
            await engineer.PostAsJsonAsync($"/api/v1/engagements/{id}/transitions", new { to, reason }, Ct);

        var skip = await (await Move("signed")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("engagement-stage-transition", skip.Str("rule"));
        Assert.Contains("requested", skip.Str("detail"), StringComparison.Ordinal);

        await (await Move("nonsense")).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        foreach (var stage in new[] { "scoping", "quoted", "sow-review", "signed", "scheduled", "in-delivery", "closed" })
        {
            if (stage == "scheduled")
            {
                // no-dates-before-agreement-and-po: scheduling needs the signed agreement and the P.O. on record.
                (await engineer.PostAsJsonAsync($"/api/v1/engagements/{id}/agreement", new { signedOn = "2026-11-01", signer = "Ada" }, Ct)).EnsureSuccessStatusCode();
                (await engineer.PostAsJsonAsync($"/api/v1/engagements/{id}/purchase-order",
                    new { number = "PO-1", amount = 20000m, currency = "USD", receivedOn = "2026-11-02" }, Ct)).EnsureSuccessStatusCode();
            }
            var moved = await (await Move(stage, $"to {stage}")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(stage, moved.Str("stage"));
        }
        await (await Move("cancelled")).ProblemAsync(HttpStatusCode.Conflict);

        var fetched = await (await engineer.GetAsync($"/api/v1/engagements/{id}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("closed", fetched.Str("stage"));

        var audit = await (await engineer.GetAsync($"/api/v1/engagements/{id}/audit?perPage=50", Ct)).JsonAsync(HttpStatusCode.OK);
        var moves = audit.GetProperty("items").EnumerateArray().Where(a => a.Str("action") == "engagement.stage-changed").ToList();
        Assert.Equal(7, moves.Count);
        Assert.All(moves, m => Assert.StartsWith("to ", m.Str("reason"), StringComparison.Ordinal));
        Assert.All(moves, m => Assert.StartsWith("Test ps-engineer", m.Str("actorName"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Engagements_CanBeCancelledFromAnyOpenStage()
    {
        var admin = await App.AdminAsync();
        var customer = await App.CustomerAsync();
        var offering = (await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK))[0].Id();
        var id = (await (await admin.PostAsJsonAsync("/api/v1/engagements",
            new { customerId = customer, offeringIds = new[] { offering }, title = "Short-lived" }, Ct)).JsonAsync(HttpStatusCode.Created)).Id();
        await (await admin.PostAsJsonAsync($"/api/v1/engagements/{id}/transitions", new { to = "scoping" }, Ct)).JsonAsync(HttpStatusCode.OK);
        var cancelled = await (await admin.PostAsJsonAsync($"/api/v1/engagements/{id}/transitions",
            new { to = "cancelled", reason = "Customer chose a partner" }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Str("stage"));
        Assert.Empty(cancelled.GetProperty("nextStages").EnumerateArray());
    }

    [Fact]
    public async Task Engagements_ValidationListsEveryBadField()
    {
        var admin = await App.AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/v1/engagements", new { customerId = Guid.NewGuid(), offeringIds = Array.Empty<Guid>(), title = "" }, Ct);
        var errors = (await response.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors");
        foreach (var field in new[] { "customerId", "offeringIds", "title" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Theory]
    [InlineData("free", "migration-services", "ce-no-services")]
    [InlineData("free", "gitlab-git-basics", "training-only-requires-ee")]
    [InlineData("premium", "gitlab-admin-training", "training-only-requires-use-case")]
    public async Task Engagements_OpenedDirectly_ObeyTheEligibilityRules(string tier, string slug, string rule)
    {
        var admin = await App.AdminAsync();
        var customer = await App.CustomerAsync(tier);
        var offerings = await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK);
        var offering = offerings.EnumerateArray().Single(o => o.Str("slug") == slug).Id();
        var refused = await admin.PostAsJsonAsync("/api/v1/engagements", new { customerId = customer, offeringIds = new[] { offering }, title = "Direct" }, Ct);
        Assert.Equal(rule, (await refused.ProblemAsync(HttpStatusCode.UnprocessableEntity)).Str("rule"));
        var list = await (await admin.GetAsync($"/api/v1/engagements?customerId={customer}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        var discovery = offerings.EnumerateArray().Single(o => o.Str("slug") == "discovery-engagement").Id();
        await (await admin.PostAsJsonAsync("/api/v1/engagements", new { customerId = customer, offeringIds = new[] { discovery }, title = "Discovery" }, Ct))
            .JsonAsync(HttpStatusCode.Created);
    }
}

public sealed class SqliteEngagementsApiTests(SqliteApp app) : EngagementsApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresEngagementsApiTests(PostgresApp app) : EngagementsApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

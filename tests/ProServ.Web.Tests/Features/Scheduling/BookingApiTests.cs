using System.Net;
using System.Net.Http.Json;
using ProServ.Web.Tests.Features.SowRequests;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Scheduling;

/// no-dates-before-agreement-and-po through the API: bookings and the move to `scheduled`.
public abstract class BookingApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bookings_AreTentativeUntilTheAgreementAndThePoAreRecorded()
    {
        var (_, _, manager) = await App.UserAsync(["ps-manager"]);
        var (specialist, _, _) = await App.UserAsync(["ps-engineer"]);
        var engagement = await manager.EngagementViaRequestAsync(await App.CustomerAsync(), ["migration-services"]);
        var start = TimeProvider.System.GetUtcNow().AddDays(20);
        object Booking(bool confirmed) => new { userId = specialist, start, end = start.AddDays(5), confirmed };

        var tentative = await (await manager.PostAsJsonAsync($"/api/v1/engagements/{engagement}/bookings", Booking(false), Ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("tentative", tentative.Str("status"));
        Assert.False(tentative.GetProperty("confirmed").GetBoolean());

        var refused = await (await manager.PostAsJsonAsync($"/api/v1/engagements/{engagement}/bookings", Booking(true), Ct))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("no-dates-before-agreement-and-po", refused.Str("rule"));
        await (await manager.PostAsync($"/api/v1/bookings/{tentative.Id()}/confirm", null, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        foreach (var stage in new[] { "quoted", "sow-review", "signed" })
        {
            await (await manager.MoveAsync(engagement, stage)).JsonAsync(HttpStatusCode.OK);
        }
        var schedule = await (await manager.MoveAsync(engagement, "scheduled")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("no-dates-before-agreement-and-po", schedule.Str("rule"));

        (await manager.PostAsJsonAsync($"/api/v1/engagements/{engagement}/agreement", new { signedOn = "2026-11-20", signer = "Grace" }, Ct)).EnsureSuccessStatusCode();
        var onlyAgreement = await (await manager.PostAsync($"/api/v1/bookings/{tentative.Id()}/confirm", null, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("P.O.", onlyAgreement.Str("detail"), StringComparison.Ordinal);
        (await manager.PostAsJsonAsync($"/api/v1/engagements/{engagement}/purchase-order",
            new { number = "PO-1", amount = "9000.00", currency = "USD", receivedOn = "2026-11-21" }, Ct)).EnsureSuccessStatusCode();

        var confirmed = await (await manager.PostAsync($"/api/v1/bookings/{tentative.Id()}/confirm", null, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("confirmed", confirmed.Str("status"));
        await (await manager.PostAsJsonAsync($"/api/v1/engagements/{engagement}/bookings", Booking(true), Ct)).JsonAsync(HttpStatusCode.Created);
        await (await manager.MoveAsync(engagement, "scheduled")).JsonAsync(HttpStatusCode.OK);

        var list = await (await manager.GetAsync($"/api/v1/engagements/{engagement}/bookings", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Booking_ValidationListsEveryBadField()
    {
        var (_, _, manager) = await App.UserAsync(["ps-manager"]);
        var engagement = await manager.EngagementViaRequestAsync(await App.CustomerAsync(), ["discovery-engagement"]);
        var start = TimeProvider.System.GetUtcNow();
        var problem = await (await manager.PostAsJsonAsync($"/api/v1/engagements/{engagement}/bookings",
            new { userId = Guid.NewGuid(), start, end = start.AddHours(-1) }, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("userId", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("end", out _));
    }
}

public sealed class SqliteBookingApiTests(SqliteApp app) : BookingApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresBookingApiTests(PostgresApp app) : BookingApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

using System.Net;
using System.Net.Http.Json;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Auth;

/// Password submissions are limited per account (known or not) and per client address: 429 problem+json with Retry-After.
public sealed class AccountRateLimitTests(AccountLimitApp app) : IClassFixture<AccountLimitApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TokenEndpoint_TooManyAttemptsForOneAccount_Is429WithRetryAfter(bool existing)
    {
        var email = existing ? (await app.UserAsync(["ps-engineer"])).Email : $"nobody-{Guid.NewGuid():n}@proserv.test";
        using var anonymous = app.Anonymous();
        // UserAsync used one attempt of the account for its own token.
        for (var i = existing ? 1 : 0; i < AccountLimitApp.PerAccount; i++)
        {
            var r = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email = email.ToUpperInvariant(), password = "wrong password " + i }, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }
        var limited = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email, password = "wrong password" }, Ct);
        var problem = await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("sign-in-rate-limit", problem.Str("rule"));
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");

        // Another account is not affected.
        var other = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email = AppFactory.AdminEmail, password = AppFactory.AdminPassword }, Ct);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task SignInPage_TooManyAttemptsForOneAccount_Is429()
    {
        var email = $"nobody-{Guid.NewGuid():n}@proserv.test";
        using var browser = Browser.For(app);
        for (var i = 0; i < AccountLimitApp.PerAccount; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(email, "wrong password " + i)).StatusCode);
        }
        var limited = await browser.SignInAsync(email, "wrong password");
        await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
    }
}

public sealed class AddressRateLimitTests(AddressLimitApp app) : IClassFixture<AddressLimitApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CredentialPosts_TooManyFromOneAddress_Are429WithRetryAfter_OtherRequestsAreNot()
    {
        using var anonymous = app.Anonymous();
        for (var i = 0; i < AddressLimitApp.PerAddress; i++)
        {
            var r = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email = $"n{i}-{Guid.NewGuid():n}@proserv.test", password = "wrong password" }, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        }
        var limited = await anonymous.PostAsJsonAsync("/api/v1/auth/tokens", new { email = $"n-{Guid.NewGuid():n}@proserv.test", password = "wrong password" }, Ct);
        var problem = await limited.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("sign-in-rate-limit", problem.Str("rule"));
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");

        var page = await anonymous.PostAsync("/account/sign-in", new FormUrlEncodedContent([]), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/account/sign-in", Ct)).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Pages.Engagements;

/// The one engagement page: every feature's section is on it, the SOW pipeline's old address shows the same page,
/// and a section's form is answered by that section, with a refusal shown in place.
public sealed partial class EngagementPageTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static string Token(string html) => WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);

    private async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var form = await client.GetStringAsync("/account/sign-in", Ct);
        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = Token(form),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private async Task<Guid> EngagementAsync()
    {
        var admin = await app.AdminAsync();
        var customer = await app.CustomerAsync();
        var offerings = await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK);
        var ids = offerings.EnumerateArray().Where(o => o.Str("slug") == "migration-services").Select(o => o.Id()).ToArray();
        var e = await (await admin.PostAsJsonAsync("/api/v1/engagements", new { customerId = customer, offeringIds = ids, title = "One page" }, Ct))
            .JsonAsync(HttpStatusCode.Created);
        return e.Id();
    }

    [Fact]
    public async Task EngagementPage_ShowsEverySection_AtBothAddresses()
    {
        var id = await EngagementAsync();
        using var browser = await SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        foreach (var url in new[] { $"/engagements/{id}", $"/sow/engagements/{id}" })
        {
            var response = await browser.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync(Ct);
            foreach (var section in new[] { "summary", "stage", "request", "scoping", "quotes", "sow-document", "contract", "bookings", "history" })
            {
                Assert.Contains($"id=\"{section}\"", html, StringComparison.Ordinal);
            }
            Assert.Contains("New quote version", html, StringComparison.Ordinal);
            // Forms post to the one page's address, whichever address showed it.
            Assert.Contains($"action=\"/engagements/{id}?handler=Booking\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ASectionsForm_IsAnsweredByItsSection_AndARefusalIsShownInPlace()
    {
        var id = await EngagementAsync();
        var (specialist, _, _) = await app.UserAsync(["ps-engineer"]);
        using var browser = await SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        var page = await browser.GetStringAsync($"/engagements/{id}", Ct);

        var refused = await browser.PostAsync($"/sow/engagements/{id}?handler=Booking", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Booking.UserId"] = specialist.ToString(),
            ["Booking.Start"] = "2027-01-11T09:00",
            ["Booking.End"] = "2027-01-15T17:00",
            ["Booking.Confirmed"] = "true",
            ["__RequestVerificationToken"] = Token(page),
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("no-dates-before-agreement-and-po", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2027-01-11T09:00\"", html, StringComparison.Ordinal);

        var added = await browser.PostAsync($"/engagements/{id}?handler=Booking", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Booking.UserId"] = specialist.ToString(),
            ["Booking.Start"] = "2027-01-11T09:00",
            ["Booking.End"] = "2027-01-15T17:00",
            ["__RequestVerificationToken"] = Token(page),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal($"/engagements/{id}#bookings", added.Headers.Location!.ToString());
        Assert.Contains("tentative", await browser.GetStringAsync($"/engagements/{id}", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownHandler_IsNotFound()
    {
        var id = await EngagementAsync();
        using var browser = await SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        var page = await browser.GetStringAsync($"/engagements/{id}", Ct);
        var response = await browser.PostAsync($"/engagements/{id}?handler=Nothing", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(page),
        }), Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task MovedPages_FormsPostToTheirOwnAddress()
    {
        // A form naming a page that moved posts to nowhere; the tag helper then leaves the action empty.
        var id = await EngagementAsync();
        using var browser = await SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        Assert.Contains("action=\"/sow/requests/new\"", await browser.GetStringAsync("/sow/requests/new", Ct), StringComparison.Ordinal);
        Assert.Contains($"action=\"/sow/engagements/{id}/quotes/new\"",
            await browser.GetStringAsync($"/sow/engagements/{id}/quotes/new", Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/sow/template", "account-executive")]
    [InlineData("/sow/approvals", "account-executive")]
    [InlineData("/sow/requests/new", "customer-contact")]
    [InlineData("/sow/engagements/00000000-0000-0000-0000-000000000001/quotes/new", "customer-contact")]
    [InlineData("/sow/templates", "customer-contact")]
    public async Task MovedPages_KeepTheirRoleChecks(string url, string role)
    {
        var customer = role == "customer-contact" ? await app.CustomerAsync() : (Guid?)null;
        var (_, email, _) = await app.UserAsync([role], customer);
        using var browser = await SignInAsync(email, AppFactory.Password);
        var response = await browser.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/denied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}

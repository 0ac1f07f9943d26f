using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using ProServ.Core.Features.SowDocuments;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.SowDocuments;

/// The SOW pages through HTTP with a signed-in browser session: versions and downloads, mark-up upload and
/// review with accept/reject and the comparison, the template page, and isolation between customers.
public sealed partial class SowDocumentPagesTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTime Monday = new(2026, 11, 23, 10, 30, 0, DateTimeKind.Utc);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private static string Token(string html) => AntiforgeryField().Match(html) is { Success: true } m
        ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new InvalidOperationException("No antiforgery token in the page.");

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

    private async Task<(Guid Customer, Guid Engagement)> EngagementAsync()
    {
        var admin = await app.AdminAsync();
        var customer = await app.CustomerAsync();
        var offerings = await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK);
        var ids = offerings.EnumerateArray().Where(o => o.Str("slug") == "migration-services").Select(o => o.Id()).ToArray();
        var e = await (await admin.PostAsJsonAsync("/api/v1/engagements", new { customerId = customer, offeringIds = ids, title = "Pages rollout" }, Ct))
            .JsonAsync(HttpStatusCode.Created);
        return (customer, e.Id());
    }

    private static MultipartFormDataContent Upload(string token, byte[] file, string? note = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        form.Add(part, "file", "markup.docx");
        if (note is not null) form.Add(new StringContent(note), "note");
        return form;
    }

    [Fact]
    public async Task Documents_Upload_Review_Accept_AndCompare()
    {
        var (_, id) = await EngagementAsync();
        var (_, email, _) = await app.UserAsync(["ps-engineer"]);
        using var browser = await SignInAsync(email, AppFactory.Password);
        var page = $"/engagements/{id}/sow";

        var html = await browser.GetStringAsync(page, Ct);
        Assert.Contains("Statement of Work", html, StringComparison.Ordinal);
        Assert.Contains("No version kept yet", html, StringComparison.Ordinal);

        var draft = await browser.GetAsync(page + "?handler=file&format=docx", Ct);
        Assert.Equal(HttpStatusCode.OK, draft.StatusCode);
        var bytes = await draft.Content.ReadAsByteArrayAsync(Ct);
        Assert.Contains("Pages rollout", string.Join("\n", TestDocx.Lines(bytes)), StringComparison.Ordinal);

        // Not a DOCX: the page says why, in place, and keeps nothing.
        var refused = await browser.PostAsync(page + "?handler=Upload", Upload(Token(html), "hello"u8.ToArray()), Ct);
        var refusedHtml = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(DocxSafety.NotDocxRule, refusedHtml, StringComparison.Ordinal);
        Assert.Contains("No version kept yet", refusedHtml, StringComparison.Ordinal);

        var markup = TestDocx.MarkUp(bytes, m => m.Insert("Pages rollout", " (phase 1)", "Jane <Customer>", Monday)
            .Delete("payable within 30 days", "Bob Legal", Monday));
        var uploaded = await browser.PostAsync(page + "?handler=Upload", Upload(Token(html), markup), Ct);
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        Assert.Equal($"/engagements/{id}/sow/review", uploaded.Headers.Location?.OriginalString);

        var review = await browser.GetStringAsync(page + "/review", Ct);
        Assert.Contains("Changes to decide (2)", review, StringComparison.Ordinal);
        Assert.Contains("Jane &lt;Customer&gt;", review, StringComparison.Ordinal);
        Assert.Contains("<ins> (phase 1)</ins>", review, StringComparison.Ordinal);
        Assert.Contains("<del>payable within 30 days</del>", review, StringComparison.Ordinal);
        var changeId = Regex.Match(review, "name=\"changeId\" value=\"([0-9a-f-]{36})\"").Groups[1].Value;

        var accepted = await browser.PostAsync(page + "/review?handler=Accept", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["changeId"] = changeId,
            ["reason"] = "Agreed",
            ["__RequestVerificationToken"] = Token(review),
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        review = await browser.GetStringAsync(page + "/review", Ct);
        Assert.Contains("Changes to decide (1)", review, StringComparison.Ordinal);
        Assert.Contains("v3 compared with v2", review, StringComparison.Ordinal);
        Assert.Contains("Pages rollout (phase 1)", review, StringComparison.Ordinal);
        Assert.Contains("Accepted: Agreed", review, StringComparison.Ordinal);

        var versions = await browser.GetStringAsync(page, Ct);
        Assert.Contains("?handler=file&amp;format=docx&amp;version=3", versions, StringComparison.Ordinal);
        var v3 = await browser.GetAsync(page + "?handler=file&format=docx&version=3", Ct);
        Assert.Contains("Pages rollout (phase 1)", string.Join("\n", TestDocx.Lines(await v3.Content.ReadAsByteArrayAsync(Ct))), StringComparison.Ordinal);
        var preview = await browser.GetAsync(page + "?handler=file&format=html&version=2", Ct);
        Assert.Equal("text/html", preview.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", preview.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerContact_OfAnotherCustomer_GetsNotFound_AndCannotDecide()
    {
        var (customer, id) = await EngagementAsync();
        var (other, _) = await EngagementAsync();
        var (_, strangerEmail, _) = await app.UserAsync(["customer-contact"], other);
        using var stranger = await SignInAsync(strangerEmail, AppFactory.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/engagements/{id}/sow", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/engagements/{id}/sow/review", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/engagements/{id}/sow?handler=file&format=docx", Ct)).StatusCode);

        var (_, ownEmail, _) = await app.UserAsync(["customer-contact"], customer);
        using var own = await SignInAsync(ownEmail, AppFactory.Password);
        var html = await own.GetStringAsync($"/engagements/{id}/sow", Ct);
        Assert.Contains("Upload the customer", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Generate version", html, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await own.GetAsync("/sow/templates", Ct)).StatusCode);
    }

    [Fact]
    public async Task Templates_AdminUploadIsRefusedInPlaceWhenFieldsAreMissing_AndOthersSeeNoUpload()
    {
        using var admin = await SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        var html = await admin.GetStringAsync("/sow/templates", Ct);
        Assert.Contains("Upload a new version", html, StringComparison.Ordinal);
        Assert.Contains("built-in", html, StringComparison.Ordinal);

        var refused = await admin.PostAsync("/sow/templates?handler=Upload", Upload(Token(html), TestDocx.Template("CustomerName"), "broken"), Ct);
        var refusedHtml = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("sow-template-merge-fields", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("QuoteLines", refusedHtml, StringComparison.Ordinal);

        var builtIn = await (await admin.GetAsync("/sow/templates?handler=file", Ct)).Content.ReadAsByteArrayAsync(Ct);
        var ok = await admin.PostAsync("/sow/templates?handler=Upload", Upload(Token(html), builtIn, "Same as built-in"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("Same as built-in", await admin.GetStringAsync("/sow/templates", Ct), StringComparison.Ordinal);

        var (_, email, _) = await app.UserAsync(["account-executive"]);
        using var ae = await SignInAsync(email, AppFactory.Password);
        var aeHtml = await ae.GetStringAsync("/sow/templates", Ct);
        Assert.DoesNotContain("Upload a new version", aeHtml, StringComparison.Ordinal);
        var api = await app.AdminAsync();
        var before = (await (await api.GetAsync("/api/v1/sow-templates", Ct)).JsonAsync(HttpStatusCode.OK)).GetArrayLength();
        var forbidden = await ae.PostAsync("/sow/templates?handler=Upload", Upload(Token(aeHtml), builtIn), Ct);
        Assert.True(forbidden.StatusCode == HttpStatusCode.Forbidden
                    || forbidden.Headers.Location?.OriginalString.Contains("denied", StringComparison.OrdinalIgnoreCase) == true,
            $"{(int)forbidden.StatusCode} {forbidden.Headers.Location}");
        Assert.Equal(before, (await (await api.GetAsync("/api/v1/sow-templates", Ct)).JsonAsync(HttpStatusCode.OK)).GetArrayLength());
    }
}

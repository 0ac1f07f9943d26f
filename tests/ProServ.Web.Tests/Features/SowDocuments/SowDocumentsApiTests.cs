using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ProServ.Core.Features.SowDocuments;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.SowDocuments;

/// The SOW document API on each database provider: generation, mark-up review, templates, bad input, isolation.
public abstract class SowDocumentsApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTime Monday = new(2026, 11, 23, 10, 30, 0, DateTimeKind.Utc);

    private async Task<(Guid Customer, Guid Engagement)> EngagementAsync(string title = "GitLab rollout")
    {
        var admin = await App.AdminAsync();
        var customer = await App.CustomerAsync();
        var offerings = await (await admin.GetAsync("/api/v1/catalog/offerings", Ct)).JsonAsync(HttpStatusCode.OK);
        var ids = offerings.EnumerateArray().Where(o => o.Str("slug") is "migration-services" or "gitlab-cicd-training").Select(o => o.Id()).ToArray();
        var e = await (await admin.PostAsJsonAsync("/api/v1/engagements", new { customerId = customer, offeringIds = ids, title }, Ct))
            .JsonAsync(HttpStatusCode.Created);
        return (customer, e.Id());
    }

    private static MultipartFormDataContent File(byte[] content, string name = "markup.docx", string? note = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        form.Add(file, "file", name);
        if (note is not null) form.Add(new StringContent(note), "note");
        return form;
    }

    private static async Task<byte[]> BytesAsync(HttpResponseMessage response, string mediaType)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    [Fact]
    public async Task Sow_IsGeneratedAsDocxAndAsSafeHtml()
    {
        var (_, id) = await EngagementAsync("Rollout <script>alert('x')</script>");
        var admin = await App.AdminAsync();
        var docx = await BytesAsync(await admin.GetAsync($"/api/v1/engagements/{id}/sow?format=docx", Ct), Docx);
        var text = string.Join("\n", TestDocx.Lines(docx));
        Assert.Contains("Rollout <script>alert('x')</script>", text, StringComparison.Ordinal);
        Assert.Contains("Migration Services", text, StringComparison.Ordinal);
        Assert.Contains("GitLab Adoption Plan", text, StringComparison.Ordinal); // a deliverable from the catalog package
        Assert.Contains("ROM range", text, StringComparison.Ordinal);

        var response = await admin.GetAsync($"/api/v1/engagements/{id}/sow?format=html", Ct);
        var html = System.Text.Encoding.UTF8.GetString(await BytesAsync(response, "text/html"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Rollout &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        var bad = await admin.GetAsync($"/api/v1/engagements/{id}/sow?format=rtf", Ct);
        Assert.True((await bad.ProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors").TryGetProperty("format", out _));
    }

    [Fact]
    public async Task Sow_AsPdf_IsRenderedByLibreOffice()
    {
        if (SofficePdfRenderer.Find(null) is null)
        {
            Assert.Skip("soffice is not installed (apt-get install libreoffice-writer-nogui)");
        }
        var (_, id) = await EngagementAsync();
        var admin = await App.AdminAsync();
        var pdf = await BytesAsync(await admin.GetAsync($"/api/v1/engagements/{id}/sow?format=pdf", Ct), "application/pdf");
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
    }

    [Fact]
    public async Task Markup_IsListed_DecidedChangeByChange_AndEveryVersionIsKeptAndCompared()
    {
        var (_, id) = await EngagementAsync();
        var (_, _, engineer) = await App.UserAsync(["ps-engineer"]);
        var draft = await BytesAsync(await engineer.GetAsync($"/api/v1/engagements/{id}/sow?format=docx", Ct), Docx);
        var markup = TestDocx.MarkUp(draft, m => m
            .Insert("GitLab rollout", " (phase 1)", "Jane Customer", Monday)
            .Delete("payable within 30 days", "Bob Legal", Monday.AddHours(1))
            .Comment("Migration Services", "Does this include LFS?", "Jane Customer", Monday.AddHours(2)));

        var uploaded = await (await engineer.PostAsync($"/api/v1/engagements/{id}/sow/markups", File(markup), Ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, uploaded.GetProperty("version").GetProperty("number").GetInt32());
        var changes = uploaded.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(3, changes.Count);
        var insertion = changes.Single(c => c.Str("kind") == "insertion");
        Assert.Equal(("Jane Customer", " (phase 1)"), (insertion.Str("author"), insertion.Str("text")));
        Assert.Equal(new DateTimeOffset(Monday), insertion.GetProperty("date").GetDateTimeOffset());
        Assert.Contains("GitLab rollout", insertion.Str("context"), StringComparison.Ordinal);
        var deletion = changes.Single(c => c.Str("kind") == "deletion");
        Assert.Equal("Bob Legal", deletion.Str("author"));
        var comment = changes.Single(c => c.Str("kind") == "comment");
        Assert.Equal("Does this include LFS?", comment.Str("text"));

        var accepted = await (await engineer.PostAsJsonAsync($"/api/v1/engagements/{id}/sow/changes/{insertion.Id()}/accept",
            new { reason = "Agreed on the call" }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("accepted", accepted.GetProperty("change").Str("status"));
        Assert.Equal(3, accepted.GetProperty("version").GetProperty("number").GetInt32());
        var rejected = await (await engineer.PostAsync($"/api/v1/engagements/{id}/sow/changes/{deletion.Id()}/reject", null, Ct))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, rejected.GetProperty("version").GetProperty("number").GetInt32());

        // Deciding again is a conflict and creates nothing.
        await (await engineer.PostAsync($"/api/v1/engagements/{id}/sow/changes/{insertion.Id()}/reject", null, Ct)).ProblemAsync(HttpStatusCode.Conflict);

        var versions = (await (await engineer.GetAsync($"/api/v1/engagements/{id}/sow/versions", Ct)).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(["generated", "markup", "decision", "decision"], versions.Select(v => v.Str("kind")));
        Assert.Equal(1, versions[3].GetProperty("pendingChanges").GetInt32() + versions[1].GetProperty("pendingChanges").GetInt32());
        var latest = await BytesAsync(await engineer.GetAsync(versions[3].GetProperty("links").Str("docx"), Ct), Docx);
        var lines = TestDocx.Lines(latest);
        Assert.Contains(lines, l => l.Contains("GitLab rollout (phase 1)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("payable within 30 days", StringComparison.Ordinal) && !l.Contains("[-", StringComparison.Ordinal));
        Assert.Equal(markup, await BytesAsync(await engineer.GetAsync(versions[1].GetProperty("links").Str("docx"), Ct), Docx));

        var comparison = await (await engineer.GetAsync(versions[3].GetProperty("links").Str("comparison"), Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, comparison.GetProperty("fromNumber").GetInt32());
        Assert.Equal(1, comparison.GetProperty("added").GetInt32());
        Assert.Equal(1, comparison.GetProperty("removed").GetInt32());
        Assert.Contains(comparison.GetProperty("lines").EnumerateArray(),
            l => l.Str("op") == "removed" && l.Str("text").Contains("[-payable within 30 days-]", StringComparison.Ordinal));

        var pending = (await (await engineer.GetAsync($"/api/v1/engagements/{id}/sow/changes", Ct)).JsonAsync(HttpStatusCode.OK))
            .EnumerateArray().Where(c => c.Str("status") == "pending").ToList();
        Assert.Equal(comment.Id(), Assert.Single(pending).Id());

        var audit = await (await engineer.GetAsync($"/api/v1/engagements/{id}/audit?perPage=50", Ct)).JsonAsync(HttpStatusCode.OK);
        var actions = audit.GetProperty("items").EnumerateArray().Select(a => a.Str("action")).ToList();
        Assert.Contains("sow.markup-uploaded", actions);
        Assert.Contains("sow.change-accepted", actions);
        Assert.Contains("sow.change-rejected", actions);
    }

    [Fact]
    public async Task CustomerContacts_ReadOnlyTheirOwnCustomersDocuments()
    {
        var (customer, id) = await EngagementAsync();
        var (otherCustomer, _) = await EngagementAsync();
        var admin = await App.AdminAsync();
        await (await admin.PostAsJsonAsync($"/api/v1/engagements/{id}/sow/versions", new { note = "Sent to Acme" }, Ct)).JsonAsync(HttpStatusCode.Created);

        var (_, _, own) = await App.UserAsync(["customer-contact"], customer);
        Assert.Single((await (await own.GetAsync($"/api/v1/engagements/{id}/sow/versions", Ct)).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
        await BytesAsync(await own.GetAsync($"/api/v1/engagements/{id}/sow?format=docx&version=1", Ct), Docx);
        // The customer marks up our SOW themselves; deciding is for the team.
        var draft = await BytesAsync(await own.GetAsync($"/api/v1/engagements/{id}/sow?format=docx&version=1", Ct), Docx);
        var up = await (await own.PostAsync($"/api/v1/engagements/{id}/sow/markups",
            File(TestDocx.MarkUp(draft, m => m.Insert("GitLab rollout", " now", "Customer", Monday))), Ct)).JsonAsync(HttpStatusCode.Created);
        var change = up.GetProperty("changes")[0].Id();
        await (await own.PostAsync($"/api/v1/engagements/{id}/sow/changes/{change}/accept", null, Ct)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await own.GetAsync("/api/v1/sow-templates", Ct)).ProblemAsync(HttpStatusCode.Forbidden);

        var (_, _, stranger) = await App.UserAsync(["customer-contact"], otherCustomer);
        foreach (var url in new[]
                 {
                     $"/api/v1/engagements/{id}/sow?format=docx", $"/api/v1/engagements/{id}/sow?format=html&version=1",
                     $"/api/v1/engagements/{id}/sow/versions", $"/api/v1/engagements/{id}/sow/versions/1/comparison",
                     $"/api/v1/engagements/{id}/sow/changes",
                 })
        {
            await (await stranger.GetAsync(url, Ct)).ProblemAsync(HttpStatusCode.NotFound);
        }
        await (await stranger.PostAsync($"/api/v1/engagements/{id}/sow/markups", File(draft), Ct)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, (await (await admin.GetAsync($"/api/v1/engagements/{id}/sow/versions", Ct)).JsonAsync(HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task BadUploads_AreClearProblems_AndChangeNothing()
    {
        var (_, id) = await EngagementAsync();
        var admin = await App.AdminAsync();
        var url = $"/api/v1/engagements/{id}/sow/markups";

        var notDocx = await (await admin.PostAsync(url, File("%PDF-1.7 not a word file"u8.ToArray(), "contract.pdf"), Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(DocxSafety.NotDocxRule, notDocx.Str("rule"));
        Assert.Contains(".docx", notDocx.Str("detail"), StringComparison.Ordinal);

        var bomb = await (await admin.PostAsync(url, File(TestDocx.ZipBomb(), "bomb.docx"), Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(DocxSafety.ZipBombRule, bomb.Str("rule"));

        var huge = new byte[11 * 1024 * 1024];
        Random.Shared.NextBytes(huge);
        var tooLarge = await (await admin.PostAsync(url, File(huge, "huge.docx"), Ct)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(DocxSafety.TooLargeRule, tooLarge.Str("rule"));
        Assert.Contains("10 MB", tooLarge.Str("detail"), StringComparison.Ordinal);

        // Without a Content-Length (chunked), the limit holds while the form is read.
        using var chunked = new MultipartFormDataContent { { new StreamContent(new UnknownLength(huge)), "file", "huge.docx" } };
        var streamed = await (await admin.PostAsync(url, chunked, Ct)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(DocxSafety.TooLargeRule, streamed.Str("rule"));

        var json = await (await admin.PostAsJsonAsync(url, new { file = "x" }, Ct)).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("multipart/form-data", json.Str("detail"), StringComparison.Ordinal);
        using var empty = new MultipartFormDataContent { { new StringContent("hello"), "note" } };
        var noFile = await (await admin.PostAsync(url, empty, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(noFile.GetProperty("errors").TryGetProperty("file", out _));

        Assert.Equal(0, (await (await admin.GetAsync($"/api/v1/engagements/{id}/sow/versions", Ct)).JsonAsync(HttpStatusCode.OK)).GetArrayLength());
        var audit = await (await admin.GetAsync($"/api/v1/engagements/{id}/audit", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(audit.GetProperty("items").EnumerateArray(), a => a.Str("action").StartsWith("sow.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Templates_MissingMergeFieldsAreRefusedByName_AndVersionsAreKept()
    {
        var admin = await App.AdminAsync();
        var fields = await (await admin.GetAsync("/api/v1/sow-templates/fields", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(fields.EnumerateArray(), f => f.Str("name") == "QuoteLines" && f.GetProperty("required").GetBoolean());
        var builtIn = await BytesAsync(await admin.GetAsync("/api/v1/sow-templates/built-in/file", Ct), Docx);

        var missing = await (await admin.PostAsync("/api/v1/sow-templates", File(TestDocx.Template("CustomerName", "Scope"), "ours.docx"), Ct))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("sow-template-merge-fields", missing.Str("rule"));
        foreach (var name in new[] { "EngagementTitle", "Offerings", "Deliverables", "QuoteLines", "Total", "Terms" })
        {
            Assert.Contains(name, missing.Str("detail"), StringComparison.Ordinal);
        }
        await (await admin.PostAsync("/api/v1/sow-templates", File(TestDocx.ZipBomb(), "bomb.docx"), Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);

        var (_, _, engineer) = await App.UserAsync(["ps-engineer"]);
        await (await engineer.PostAsync("/api/v1/sow-templates", File(builtIn, "mine.docx"), Ct)).ProblemAsync(HttpStatusCode.Forbidden);

        var before = (await (await admin.GetAsync("/api/v1/sow-templates", Ct)).JsonAsync(HttpStatusCode.OK)).GetArrayLength();
        var created = await (await admin.PostAsync("/api/v1/sow-templates", File(builtIn, "house-style.docx", note: "House style"), Ct))
            .JsonAsync(HttpStatusCode.Created);
        var number = created.GetProperty("number").GetInt32();
        var list = (await (await engineer.GetAsync("/api/v1/sow-templates", Ct)).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(before + 1, list.Count);
        Assert.Equal(number, list[0].GetProperty("number").GetInt32());
        Assert.True(list[0].GetProperty("isCurrent").GetBoolean());
        Assert.Equal("House style", list[0].Str("note"));
        Assert.Equal(builtIn, await BytesAsync(await engineer.GetAsync($"/api/v1/sow-templates/{number}/file", Ct), Docx));
    }

    [Fact]
    public async Task OpenApi_DescribesTheSowRoutesAndTheirMultipartUploads()
    {
        using var client = App.Anonymous();
        var paths = (await (await client.GetAsync("/openapi/v1.json", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("paths");
        foreach (var path in new[] { "/api/v1/engagements/{id}/sow", "/api/v1/engagements/{id}/sow/markups",
                     "/api/v1/engagements/{id}/sow/changes/{changeId}/accept", "/api/v1/engagements/{id}/sow/changes/{changeId}/reject",
                     "/api/v1/engagements/{id}/sow/versions", "/api/v1/sow-templates" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI document lacks {path}");
        }
        var upload = paths.GetProperty("/api/v1/engagements/{id}/sow/markups").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(upload.GetProperty("multipart/form-data").GetProperty("schema").GetProperty("properties").TryGetProperty("file", out _));
    }

    [Fact]
    public async Task Sow_WithoutToken_Is401()
    {
        using var client = App.Anonymous();
        await (await client.GetAsync($"/api/v1/engagements/{Guid.NewGuid()}/sow", Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.PostAsync($"/api/v1/engagements/{Guid.NewGuid()}/sow/markups", File([1, 2, 3]), Ct)).ProblemAsync(HttpStatusCode.Unauthorized);
    }
}

/// A stream that does not tell its length, so the request goes out chunked.
internal sealed class UnknownLength(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}

public sealed class SqliteSowDocumentsApiTests(SqliteApp app) : SowDocumentsApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresSowDocumentsApiTests(PostgresApp app) : SowDocumentsApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

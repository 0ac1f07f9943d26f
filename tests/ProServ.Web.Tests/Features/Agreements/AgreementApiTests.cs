using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ProServ.Web.Tests.Features.SowRequests;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Agreements;

/// The signed agreement and the purchase order through the API: JSON or multipart with the file, bounded and typed
/// uploads kept outside the web root, and customer contacts reading only their own customer's files.
public abstract class AgreementApiTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"u8.ToArray();

    private async Task<(HttpClient Ae, Guid Customer, Guid Engagement)> EngagementAsync()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        var customer = await App.CustomerAsync();
        return (ae, customer, await ae.EngagementViaRequestAsync(customer, ["migration-services"]));
    }

    private static MultipartFormDataContent Form(byte[] file, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(content, "file", fileName);
        return form;
    }

    [Fact]
    public async Task Agreement_AsJson_IsRecorded_AndValidationListsEveryField()
    {
        var (ae, _, engagement) = await EngagementAsync();
        var bad = await (await ae.PostAsJsonAsync($"/api/v1/engagements/{engagement}/agreement", new { }, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(bad.GetProperty("errors").TryGetProperty("signedOn", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("signer", out _));
        var badPo = await (await ae.PostAsJsonAsync($"/api/v1/engagements/{engagement}/purchase-order", new { currency = "dollars" }, Ct))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        foreach (var field in new[] { "number", "amount", "currency", "receivedOn" })
        {
            Assert.True(badPo.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
        }

        var agreement = await (await ae.PostAsJsonAsync($"/api/v1/engagements/{engagement}/agreement",
            new { signedOn = "2026-11-20", signer = "Grace Hopper, VP Engineering" }, Ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("2026-11-20", agreement.Str("signedOn"));
        var po = await (await ae.PostAsJsonAsync($"/api/v1/engagements/{engagement}/purchase-order",
            new { number = "PO-2026-0042", amount = 48500.00m, currency = "USD", receivedOn = "2026-11-21" }, Ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(48500.00m, po.GetProperty("amount").GetDecimal());
        var contract = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/contract", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.True(contract.GetProperty("datesMayBeCommitted").GetBoolean());
    }

    [Fact]
    public async Task Files_AreStoredOutsideTheWebRoot_AndCustomerContactsReadOnlyTheirOwn()
    {
        var (ae, customer, engagement) = await EngagementAsync();
        var (_, _, own) = await App.UserAsync(["customer-contact"], customer);
        var (_, _, other) = await App.UserAsync(["customer-contact"], await App.CustomerAsync());

        var recorded = await (await ae.PostAsync($"/api/v1/engagements/{engagement}/agreement",
            Form(Pdf, "../../signed agreement.pdf", ("signedOn", "2026-11-20"), ("signer", "Grace Hopper")), Ct)).JsonAsync(HttpStatusCode.Created);
        var file = recorded.GetProperty("file");
        Assert.Equal("application/pdf", file.Str("contentType"));
        Assert.Equal("signed agreement.pdf", file.Str("fileName"));
        var stored = Directory.GetFiles(App.FilesDirectory, "*", SearchOption.AllDirectories);
        Assert.Single(stored);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(stored[0], Ct));
        Assert.DoesNotContain("wwwroot", stored[0], StringComparison.OrdinalIgnoreCase);

        (await ae.PostAsync($"/api/v1/engagements/{engagement}/purchase-order",
            Form(Pdf, "po.pdf", ("number", "PO-7"), ("amount", "12000.50"), ("currency", "USD"), ("receivedOn", "2026-11-21")), Ct)).EnsureSuccessStatusCode();

        foreach (var kind in new[] { "agreement", "purchase-order" })
        {
            var url = $"/api/v1/engagements/{engagement}/{kind}/file";
            var staff = await ae.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
            Assert.Equal(Pdf, await staff.Content.ReadAsByteArrayAsync(Ct));
            var mine = await own.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
            Assert.Equal("application/pdf", mine.Content.Headers.ContentType?.MediaType);
            await (await other.GetAsync(url, Ct)).ProblemAsync(HttpStatusCode.NotFound);
        }
        await (await other.GetAsync($"/api/v1/engagements/{engagement}/contract", Ct)).ProblemAsync(HttpStatusCode.NotFound);
        await (await own.PostAsJsonAsync($"/api/v1/engagements/{engagement}/agreement", new { signedOn = "2026-11-20", signer = "Me" }, Ct))
            .ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Uploads_OfAnotherTypeOrOverTheLimit_AreRefused_AndChangeNothing()
    {
        var (ae, _, engagement) = await EngagementAsync();
        var before = Directory.Exists(App.FilesDirectory) ? Directory.GetFiles(App.FilesDirectory, "*", SearchOption.AllDirectories).Length : 0;

        var script = await (await ae.PostAsync($"/api/v1/engagements/{engagement}/agreement",
            Form("<script>alert(1)</script>"u8.ToArray(), "agreement.pdf", ("signedOn", "2026-11-20"), ("signer", "Grace")), Ct))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(script.GetProperty("errors").TryGetProperty("file", out _));

        var zip = await (await ae.PostAsync($"/api/v1/engagements/{engagement}/agreement",
            Form([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0], "agreement.zip", ("signedOn", "2026-11-20"), ("signer", "Grace")), Ct))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(zip.GetProperty("errors").TryGetProperty("file", out _));

        var big = new byte[11 * 1024 * 1024];
        Pdf.CopyTo(big, 0);
        var tooLarge = await ae.PostAsync($"/api/v1/engagements/{engagement}/agreement",
            Form(big, "big.pdf", ("signedOn", "2026-11-20"), ("signer", "Grace")), Ct);
        Assert.True(tooLarge.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode.ToString());

        var huge = new byte[25 * 1024 * 1024];
        Pdf.CopyTo(huge, 0);
        await (await ae.PostAsync($"/api/v1/engagements/{engagement}/agreement",
            Form(huge, "huge.pdf", ("signedOn", "2026-11-20"), ("signer", "Grace")), Ct)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        var contract = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/contract", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, contract.GetProperty("agreement").ValueKind);
        var after = Directory.Exists(App.FilesDirectory) ? Directory.GetFiles(App.FilesDirectory, "*", SearchOption.AllDirectories).Length : 0;
        Assert.Equal(before, after);
    }
}

public sealed class SqliteAgreementApiTests(SqliteApp app) : AgreementApiTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresAgreementApiTests(PostgresApp app) : AgreementApiTests<PostgresApp>(app), IClassFixture<PostgresApp>;

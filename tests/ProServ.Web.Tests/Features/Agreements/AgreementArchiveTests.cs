using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using ProServ.Web.Tests.Features.SowRequests;
using ProServ.Web.Tests.Infrastructure;

namespace ProServ.Web.Tests.Features.Agreements;

/// Agreement and P.O. uploads accepted any ZIP named .docx: they now get the mark-up upload's archive checks
/// (DocxSafety), and a PDF must end like one. A refused file is a 422 naming the rule or the field, and nothing is kept.
public abstract class AgreementArchiveTests<TApp>(TApp app) where TApp : AppFactory
{
    protected TApp App { get; } = app;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Kinds => new() { { "agreement", "signed.docx" }, { "purchase-order", "po.docx" } };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task ZipBomb_IsRefused_AndNothingIsStored(string kind, string fileName)
    {
        var problem = await RefusedAsync(kind, TestDocx.ZipBomb(64), fileName);
        Assert.Equal("upload-zip-bomb", problem.Str("rule"));
        Assert.Contains("zip bomb", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TruncatedArchive_IsRefused_AndNothingIsStored(string kind, string fileName)
    {
        var docx = TestDocx.Simple("Signed by both parties.");
        var problem = await RefusedAsync(kind, docx[..(docx.Length / 2)], fileName);
        Assert.Equal("upload-not-docx", problem.Str("rule"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task PlainZipRenamedDocx_IsRefused_AndNothingIsStored(string kind, string fileName)
    {
        var problem = await RefusedAsync(kind, PlainZip(), fileName);
        Assert.Equal("upload-not-docx", problem.Str("rule"));
        Assert.Contains("not a Word document", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TruncatedPdf_IsRefused_AndNothingIsStored(string kind, string _)
    {
        var pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pa"u8.ToArray();
        var problem = await RefusedAsync(kind, pdf, "cut.pdf");
        Assert.Contains("incomplete", problem.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task RealWordDocument_IsAccepted(string kind, string fileName)
    {
        var (ae, engagement) = await EngagementAsync();
        var recorded = await (await ae.PostAsync($"/api/v1/engagements/{engagement}/{kind}",
            Form(TestDocx.Simple("Signed by both parties."), fileName, kind), Ct)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", recorded.GetProperty("file").Str("contentType"));
    }

    private static byte[] PlainZip()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var w = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            w.Write("just a text file in a zip");
        }
        return ms.ToArray();
    }

    private async Task<System.Text.Json.JsonElement> RefusedAsync(string kind, byte[] file, string fileName)
    {
        var (ae, engagement) = await EngagementAsync();
        var before = StoredFiles();
        var problem = await (await ae.PostAsync($"/api/v1/engagements/{engagement}/{kind}", Form(file, fileName, kind), Ct))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var contract = await (await ae.GetAsync($"/api/v1/engagements/{engagement}/contract", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, contract.GetProperty(kind == "agreement" ? "agreement" : "purchaseOrder").ValueKind);
        Assert.Equal(before, StoredFiles());
        return problem;
    }

    private string[] StoredFiles() => Directory.Exists(App.FilesDirectory)
        ? [.. Directory.GetFiles(App.FilesDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)]
        : [];

    private async Task<(HttpClient Ae, Guid Engagement)> EngagementAsync()
    {
        var (_, _, ae) = await App.UserAsync(["account-executive"]);
        return (ae, await ae.EngagementViaRequestAsync(await App.CustomerAsync(), ["migration-services"]));
    }

    private static MultipartFormDataContent Form(byte[] file, string fileName, string kind)
    {
        var form = new MultipartFormDataContent();
        (string, string)[] fields = kind == "agreement"
            ? [("signedOn", "2026-11-20"), ("signer", "Grace Hopper")]
            : [("number", "PO-1"), ("amount", "1200.00"), ("currency", "USD"), ("receivedOn", "2026-11-21")];
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        form.Add(content, "file", fileName);
        return form;
    }
}

public sealed class SqliteAgreementArchiveTests(SqliteApp app) : AgreementArchiveTests<SqliteApp>(app), IClassFixture<SqliteApp>;

public sealed class PostgresAgreementArchiveTests(PostgresApp app) : AgreementArchiveTests<PostgresApp>(app), IClassFixture<PostgresApp>;

using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;
using ProServ.E2E.Infrastructure;

namespace ProServ.E2E.Features.SowDocuments;

/// In the real browser: download the SOW draft, upload the customer's mark-up, accept a change, see the
/// comparison, and open the template page.
public sealed class SowDocumentsBrowserTests(ProServAppFixture app)
{
    private async Task<Guid> EngagementAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var customer = await sp.GetRequiredService<CustomerService>().CreateAsync(Actor.System,
            new CustomerInput("Browser Co " + Guid.NewGuid().ToString("n")[..6], "premium", 50, 20, false, null, null, []), TestContext.Current.CancellationToken);
        var offering = await sp.GetRequiredService<ProServDbContext>().Offerings.Where(o => o.Slug == "migration-services").Select(o => o.Id).SingleAsync(TestContext.Current.CancellationToken);
        var e = await sp.GetRequiredService<EngagementService>().CreateAsync(Actor.System,
            new EngagementInput(customer.Id, [offering], "Browser rollout"), TestContext.Current.CancellationToken);
        return e.Id;
    }

    private static byte[] MarkUp(byte[] docx) => MarkUp(docx, "Engagement: Browser rollout", " and pilot");

    /// The customer's mark-up: a tracked insertion by "Pat Customer" at the end of the first paragraph containing the anchor.
    internal static byte[] MarkUp(byte[] docx, string anchor, string inserted)
    {
        using var ms = new MemoryStream();
        ms.Write(docx);
        using (var doc = WordprocessingDocument.Open(ms, true))
        {
            var body = doc.MainDocumentPart!.Document.Body!;
            var title = body.Descendants<Paragraph>().First(p => p.InnerText.Contains(anchor, StringComparison.Ordinal));
            title.AppendChild(new InsertedRun(new Run(new Text(inserted) { Space = SpaceProcessingModeValues.Preserve }))
            {
                Id = "501",
                Author = "Pat Customer",
                Date = new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc),
            });
            doc.MainDocumentPart.Document.Save();
        }
        return ms.ToArray();
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        // Screenshots for a person to look at, only when asked for.
        if (Environment.GetEnvironmentVariable("PROSERV_E2E_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
        }
    }

    [Fact]
    public async Task MarkupReview_DownloadUploadAcceptCompare()
    {
        var id = await EngagementAsync();
        var page = await app.NewPageAsync();
        await page.GotoAsync("account/sign-in");
        await page.GetByLabel("E-mail address").FillAsync(ProServAppFixture.AdminEmail);
        await page.GetByLabel("Password").FillAsync(ProServAppFixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("sign-in", StringComparison.Ordinal));

        await page.GotoAsync($"engagements/{id}/sow");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Statement of Work" })).ToBeVisibleAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download DOCX" }).ClickAsync());
        var path = await download.PathAsync();
        var draft = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);

        await page.GetByLabel("Marked-up document").SetInputFilesAsync(new FilePayload
        {
            Name = "customer-markup.docx",
            MimeType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Buffer = MarkUp(draft),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and list changes" }).ClickAsync();
        await page.WaitForURLAsync($"**/engagements/{id}/sow/review");
        await Assertions.Expect(page.Locator("#pending-changes")).ToContainTextAsync("Pat Customer");
        await Assertions.Expect(page.Locator("#pending-changes ins")).ToHaveTextAsync(" and pilot");
        await ShotAsync(page, "sow-review");

        await page.Locator("#pending-changes").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("version 3");
        await Assertions.Expect(page.Locator("#diff .added")).ToContainTextAsync("Engagement: Browser rollout and pilot");
        await ShotAsync(page, "sow-review-accepted");

        await page.GotoAsync($"engagements/{id}/sow");
        await Assertions.Expect(page.Locator("#versions-table tbody tr")).ToHaveCountAsync(3);
        await ShotAsync(page, "sow-documents");

        await page.GotoAsync("sow/templates");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Upload a new version" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#template-versions")).ToContainTextAsync("built-in");
        await ShotAsync(page, "sow-templates");
    }
}

using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProServ.Core.Common;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Users;
using ProServ.E2E.Infrastructure;

namespace ProServ.E2E.Features.SowRequests;

/// The SOW pipeline in the real browser: request (with a check) → quote with a discount and live totals → refusal to
/// issue → the director's approval from the inbox → issue → the SOW document and the customer's mark-up review → agreement with its file → P.O. → confirmed booking.
public sealed class SowPipelineTests(ProServAppFixture app)
{
    private const string Password = "a long enough passphrase";

    private async Task<(string Email, string Customer)> SeedAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        var email = $"director-{Guid.NewGuid():n}@proserv.test";
        // One person holding the account, manager and director roles walks the whole pipeline.
        await users.CreateAsync(Actor.System, new UserInput(email, Password, "Dana Director",
            [Role.AccountExecutive, Role.PsManager, Role.DirectorCustomerSuccess], null), CancellationToken.None);
        var name = "Initech " + Guid.NewGuid().ToString("n")[..6];
        await scope.ServiceProvider.GetRequiredService<CustomerService>().CreateAsync(Actor.System,
            new CustomerInput(name, "premium", 500, 120, false, null, null), CancellationToken.None);
        return (email, name);
    }

    [Fact]
    public async Task RequestQuoteApprovalAgreementPoAndConfirmedBooking_InTheBrowser()
    {
        var (email, customer) = await SeedAsync();
        var page = await app.NewPageAsync();
        try
        {
            await WalkAsync(page, email, customer);
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            // Say where the walk stopped and what the page said, not just that something timed out.
            var text = await page.Locator("main").InnerTextAsync(new() { Timeout = 2000 });
            throw new InvalidOperationException($"Stopped at {page.Url}: {text}", e);
        }
    }

    private static async Task WalkAsync(IPage page, string email, string customer)
    {
        await page.GotoAsync("account/sign-in");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("sign-in", StringComparison.Ordinal));

        // The request form, from the template: a check first shows the rules in place.
        await page.GotoAsync("sow/requests/new");
        await page.SelectOptionAsync("#Input_CustomerId", new SelectOptionValue { Label = $"{customer} (Premium)" });
        await page.CheckAsync("#offering-gitlab-cicd-training");
        await page.ClickAsync("#check");
        await Assertions.Expect(page.Locator("#rules li[data-rule='training-only-requires-use-case']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToContainTextAsync("Business goals");

        await page.UncheckAsync("#offering-gitlab-cicd-training");
        await page.CheckAsync("#offering-migration-services");
        await page.FillAsync("#Input_Goals", "Leave SVN behind by June.");
        await page.FillAsync("#Input_Environment_Vcs", "SVN 1.14");
        await page.FillAsync("#Input_Environment_Ci", "Jenkins");
        await page.FillAsync("#Input_Environment_Authentication", "Active Directory");
        await page.FillAsync("#Input_Environment_Users", "500");
        await page.FillAsync("#Input_Timeline", "Q1 2027");
        await page.FillAsync("#Input_Contacts", "Peter Gibbons <peter@initech.test>");
        await page.ClickAsync("#check");
        await Assertions.Expect(page.Locator("#check-result")).ToContainTextAsync("would be accepted");
        await page.ClickAsync("#submit");
        await page.WaitForURLAsync(new Regex("/engagements/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("#labels")).ToContainTextAsync("offering::migration-services");
        var engagementUrl = page.Url;

        // The quote builder totals live; a discount announces the approval it needs.
        await page.ClickAsync("text=New quote version");
        await page.SelectOptionAsync("#line-0-package", new SelectOptionValue { Label = "Migration planning and adoption plan (8,000–15,000 USD)" });
        await page.FillAsync("#line-0-quantity", "1");
        await page.FillAsync("#line-0-price", "10000");
        await Assertions.Expect(page.Locator("#quote-total")).ToContainTextAsync("10,000.00 USD");
        await Assertions.Expect(page.Locator("#approval-note")).ToBeHiddenAsync();
        await page.FillAsync("#Input_DiscountValue", "10");
        await Assertions.Expect(page.Locator("#quote-total")).ToContainTextAsync("9,000.00 USD");
        await Assertions.Expect(page.Locator("#approval-note")).ToBeVisibleAsync();
        await page.ClickAsync("#check-quote");
        await Assertions.Expect(page.Locator("#check-result")).ToContainTextAsync("after the director approves the discount");
        await Assertions.Expect(page.Locator("#quote-total")).ToContainTextAsync("9,000.00 USD");
        await page.ClickAsync("#save-quote");
        await page.WaitForURLAsync(new Regex("/sow/quotes/[0-9a-f-]{36}$"));
        var quoteUrl = page.Url;
        await Assertions.Expect(page.Locator("#quote-status")).ToHaveTextAsync("Awaiting approval");

        await page.ClickAsync("#issue");
        await Assertions.Expect(page.Locator("#refusal")).ToContainTextAsync("discount-needs-approval");

        // The director's inbox lists it; approve with a comment, then issue.
        await page.GotoAsync("sow/approvals");
        await page.ClickAsync($"#approval-inbox a[href='{new Uri(quoteUrl).AbsolutePath}']");
        await page.FillAsync("#Comment", "Strategic logo; approved.");
        await page.ClickAsync("#approve");
        await Assertions.Expect(page.Locator("#quote-status")).ToHaveTextAsync("Approved");
        await page.ClickAsync("#issue");
        await Assertions.Expect(page.Locator("#quote-status")).ToHaveTextAsync("Issued");

        // The SOW document carries the issued quote; the customer's mark-up comes back, is reviewed and accepted.
        var engagementId = engagementUrl.TrimEnd('/').Split('/')[^1];
        await page.GotoAsync($"engagements/{engagementId}/sow");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download DOCX" }).ClickAsync());
        var draft = await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Contains("Quote #1", DocxText(draft), StringComparison.Ordinal);
        await page.GetByLabel("Marked-up document").SetInputFilesAsync(new FilePayload
        {
            Name = "customer-markup.docx",
            MimeType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Buffer = ProServ.E2E.Features.SowDocuments.SowDocumentsBrowserTests.MarkUp(draft, "Engagement: ", " (phase one)"),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and list changes" }).ClickAsync();
        await page.WaitForURLAsync($"**/engagements/{engagementId}/sow/review");
        await Assertions.Expect(page.Locator("#pending-changes ins")).ToHaveTextAsync(" (phase one)");
        await page.Locator("#pending-changes").GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Assertions.Expect(page.Locator("#diff .added")).ToContainTextAsync("(phase one)");

        // A booking stays tentative until the agreement and the P.O. are in.
        await page.GotoAsync(engagementUrl);
        await page.SelectOptionAsync("#Booking_UserId", new SelectOptionValue { Label = "Dana Director" });
        await page.FillAsync("#Booking_Start", "2027-01-11T09:00");
        await page.FillAsync("#Booking_End", "2027-01-15T17:00");
        await page.CheckAsync("#Booking_Confirmed");
        await page.ClickAsync("text=Add booking");
        await Assertions.Expect(page.Locator("#refusal")).ToContainTextAsync("no-dates-before-agreement-and-po");
        await page.UncheckAsync("#Booking_Confirmed");
        await page.ClickAsync("text=Add booking");
        await Assertions.Expect(page.Locator("#booking-list")).ToContainTextAsync("tentative");

        await page.FillAsync("#Agreement_SignedOn", "2026-11-20");
        await page.FillAsync("#Agreement_Signer", "Bill Lumbergh");
        await page.SetInputFilesAsync("#Agreement_File", new FilePayload
        {
            Name = "signed-agreement.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.4\n%%EOF\n"u8.ToArray(),
        });
        await page.ClickAsync("text=Record agreement");
        await Assertions.Expect(page.Locator("#agreement-recorded")).ToContainTextAsync("signed-agreement.pdf");

        await page.FillAsync("#PurchaseOrder_Number", "PO-4711");
        await page.FillAsync("#PurchaseOrder_Amount", "9000");
        await page.FillAsync("#PurchaseOrder_ReceivedOn", "2026-11-21");
        await page.ClickAsync("text=Record P.O.");
        await Assertions.Expect(page.Locator("#po-recorded")).ToContainTextAsync("PO-4711");

        await page.ClickAsync("#booking-list button:has-text('Confirm')");
        await Assertions.Expect(page.Locator("#booking-list")).ToContainTextAsync("confirmed");
        await page.GotoAsync("sow/bookings?status=confirmed");
        await Assertions.Expect(page.Locator("#bookings")).ToContainTextAsync(customer);
    }

    [Fact]
    public async Task Administrator_EditsTheRequestTemplate_AsANewVersion()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("account/sign-in");
        await page.FillAsync("#Input_Email", ProServAppFixture.AdminEmail);
        await page.FillAsync("#Input_Password", ProServAppFixture.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("sign-in", StringComparison.Ordinal));

        await page.GotoAsync("sow/template");
        var save = page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Save as version") });
        var before = await save.InnerTextAsync();
        await page.GetByLabel("Help for timeline").FillAsync("When, and any hard dates such as a release freeze.");
        await page.FillAsync("#Note", "Ask for hard dates");
        await save.ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("Template saved as version");
        Assert.NotEqual(before, await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Save as version") }).InnerTextAsync());

        await page.GotoAsync("sow/requests/new");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("release freeze");
    }

    private static string DocxText(byte[] docx)
    {
        using var ms = new MemoryStream(docx);
        using var doc = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(ms, false);
        return doc.MainDocumentPart!.Document.Body!.InnerText;
    }
}

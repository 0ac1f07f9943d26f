using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Engagements;
using ProServ.Core.Features.SowDocuments;
using ProServ.Core.Features.Users;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Features.SowDocuments;

/// The SOW document services on a real database, on each provider.
public sealed class SowDocumentServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Actor Admin = Actor.System;
    private static readonly Actor Engineer = new(Guid.NewGuid(), "Erin Engineer", new HashSet<string>(StringComparer.Ordinal) { Role.PsEngineer }, null);
    private static readonly DateTime Monday = new(2026, 11, 23, 10, 30, 0, DateTimeKind.Utc);

    private static Actor ContactOf(Guid customerId) =>
        new(Guid.NewGuid(), "Casey Contact", new HashSet<string>(StringComparer.Ordinal) { Role.CustomerContact }, customerId);

    private static async Task<(Guid Customer, Guid Engagement)> Engagement(TestDatabase db, string title = "GitLab rollout")
    {
        return await db.InScopeAsync(async sp =>
        {
            var customer = await sp.GetRequiredService<CustomerService>().CreateAsync(Admin,
                new CustomerInput("Acme " + Guid.NewGuid().ToString("n")[..6], "premium", 100, 40, false, null, null, []), Ct);
            var offerings = await sp.GetRequiredService<ProServDbContext>().Offerings
                .Where(o => o.Slug == "migration-services" || o.Slug == "gitlab-cicd-training").Select(o => o.Id).ToListAsync(Ct);
            Assert.Equal(2, offerings.Count);
            var e = await sp.GetRequiredService<EngagementService>().CreateAsync(Admin, new EngagementInput(customer.Id, offerings, title), Ct);
            return (customer.Id, e.Id);
        });
    }

    private static Task<T> Docs<T>(TestDatabase db, Func<SowDocumentService, Task<T>> body) =>
        db.InScopeAsync(sp => body(sp.GetRequiredService<SowDocumentService>()));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task MarkupReview_FromUploadToDecisions_KeepsEveryVersion(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (_, engagement) = await Engagement(db);

        var draft = await Docs(db, s => s.RenderAsync(Engineer, engagement, "docx", null, Ct));
        var draftText = string.Join("\n", TestDocx.Lines(draft.Content));
        Assert.Contains("GitLab rollout", draftText, StringComparison.Ordinal);
        Assert.Contains("Migration Services", draftText, StringComparison.Ordinal);
        // No quote yet: the catalog's ROM ranges.
        Assert.Contains("ROM range", draftText, StringComparison.Ordinal);

        var markup = TestDocx.MarkUp(draft.Content, m => m
            .Insert("GitLab rollout", " (phase 1)", "Jane Customer", Monday)
            .Delete("payable within 30 days", "Bob Legal", Monday.AddHours(1))
            .Comment("Migration Services", "Does this include LFS?", "Jane Customer", Monday.AddHours(2)));
        var contact = ContactOf(await CustomerOf(db, engagement));
        var result = await Docs(db, s => s.UploadMarkupAsync(contact, engagement, "acme-markup.docx", markup, Ct));
        Assert.Equal(2, result.Version.Number);
        Assert.Equal(SowVersionKind.Markup, result.Version.Kind);
        Assert.Equal(3, result.Changes.Count);
        Assert.All(result.Changes, c => Assert.Equal(SowChangeStatus.Pending, c.Status));
        Assert.Contains(result.Changes, c => c is { Kind: "deletion", Author: "Bob Legal", Text: "payable within 30 days" });

        var versions = await Docs(db, s => s.ListVersionsAsync(Engineer, engagement, Ct));
        Assert.Equal([(1, "generated"), (2, "markup")], versions.Select(v => (v.Number, v.Kind)));
        Assert.Equal(3, versions[1].PendingChanges);

        var insertion = result.Changes.Single(c => c.Kind == SowChangeKind.Insertion);
        var deletion = result.Changes.Single(c => c.Kind == SowChangeKind.Deletion);
        var comment = result.Changes.Single(c => c.Kind == SowChangeKind.Comment);
        var v3 = await Docs(db, s => s.DecideAsync(Engineer, engagement, insertion.Id, accept: true, "Fine by us", Ct));
        Assert.Equal((3, SowChangeStatus.Accepted, 3), (v3.Version.Number, v3.Change.Status, v3.Change.ResultVersionNumber));
        var v4 = await Docs(db, s => s.DecideAsync(Engineer, engagement, deletion.Id, accept: false, "Our standard terms", Ct));
        var v5 = await Docs(db, s => s.DecideAsync(Engineer, engagement, comment.Id, accept: true, null, Ct));
        Assert.Equal(0, v5.Version.PendingChanges);

        var final = await Docs(db, s => s.RenderAsync(Engineer, engagement, "docx", 5, Ct));
        var lines = TestDocx.Lines(final.Content);
        Assert.Contains(lines, l => l.Contains("GitLab rollout (phase 1)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("payable within 30 days", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("{+", StringComparison.Ordinal) || l.Contains("[-", StringComparison.Ordinal));

        // Every version is still there, byte for byte.
        var v2 = await Docs(db, s => s.RenderAsync(Engineer, engagement, "docx", 2, Ct));
        Assert.Equal(markup, v2.Content);
        Assert.Equal(5, (await Docs(db, s => s.ListVersionsAsync(Engineer, engagement, Ct))).Count);

        // Comparison with the previous version: accepting the insertion removed the tracked marker.
        var cmp = await Docs(db, s => s.CompareAsync(Engineer, engagement, 3, Ct));
        Assert.Equal(2, cmp.FromNumber);
        Assert.Contains(cmp.Lines, l => l.Op == "removed" && l.Text.Contains("{+ (phase 1)+}", StringComparison.Ordinal));
        Assert.Contains(cmp.Lines, l => l.Op == "added" && l.Text.Contains("GitLab rollout (phase 1)", StringComparison.Ordinal));
        var first = await Docs(db, s => s.CompareAsync(Engineer, engagement, 1, Ct));
        Assert.Null(first.FromNumber);
        Assert.All(first.Lines, l => Assert.Equal("added", l.Op));

        // A decided change cannot be decided again.
        await Assert.ThrowsAsync<ConflictException>(() => Docs(db, s => s.DecideAsync(Engineer, engagement, insertion.Id, accept: false, null, Ct)));

        var audit = await db.InScopeAsync(sp => sp.GetRequiredService<ProServDbContext>().AuditEvents
            .Where(a => a.EntityId == engagement.ToString()).Select(a => a.Action).ToListAsync(Ct));
        Assert.Contains("sow.markup-uploaded", audit);
        Assert.Equal(2, audit.Count(a => a == "sow.change-accepted"));
        Assert.Single(audit, a => a == "sow.change-rejected");
    }

    private static Task<Guid> CustomerOf(TestDatabase db, Guid engagement) =>
        db.InScopeAsync(sp => sp.GetRequiredService<ProServDbContext>().Engagements.Where(e => e.Id == engagement).Select(e => e.CustomerId).SingleAsync(Ct));

    [Fact]
    public async Task NewMarkup_SupersedesPendingChangesOfTheOlderOne()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var (_, engagement) = await Engagement(db);
        var draft = (await Docs(db, s => s.RenderAsync(Engineer, engagement, "docx", null, Ct))).Content;
        var first = await Docs(db, s => s.UploadMarkupAsync(Engineer, engagement, "a.docx",
            TestDocx.MarkUp(draft, m => m.Insert("GitLab rollout", " A", "X", Monday)), Ct));
        var second = await Docs(db, s => s.UploadMarkupAsync(Engineer, engagement, "b.docx",
            TestDocx.MarkUp(draft, m => m.Insert("GitLab rollout", " B", "Y", Monday)), Ct));
        Assert.Equal(3, second.Version.Number);
        var all = await Docs(db, s => s.ListChangesAsync(Engineer, engagement, null, Ct));
        Assert.Equal(SowChangeStatus.Superseded, all.Single(c => c.Id == first.Changes[0].Id).Status);
        var e = await Assert.ThrowsAsync<ConflictException>(() => Docs(db, s => s.DecideAsync(Engineer, engagement, first.Changes[0].Id, true, null, Ct)));
        Assert.Contains("newer mark-up", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerContacts_SeeOnlyTheirOwnCustomersDocuments()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var (customer, engagement) = await Engagement(db);
        var (other, _) = await Engagement(db);
        await Docs(db, s => s.CreateVersionAsync(Engineer, engagement, null, Ct));

        var own = ContactOf(customer);
        Assert.Single(await Docs(db, s => s.ListVersionsAsync(own, engagement, Ct)));
        Assert.NotEmpty((await Docs(db, s => s.RenderAsync(own, engagement, "html", 1, Ct))).Content);

        var stranger = ContactOf(other);
        await Assert.ThrowsAsync<NotFoundException>(() => Docs(db, s => s.ListVersionsAsync(stranger, engagement, Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() => Docs(db, s => s.RenderAsync(stranger, engagement, "docx", 1, Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() => Docs(db, s => s.RenderAsync(stranger, engagement, "docx", null, Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() => Docs(db, s => s.CompareAsync(stranger, engagement, 1, Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() => Docs(db, s => s.ListChangesAsync(stranger, engagement, null, Ct)));
        await Assert.ThrowsAsync<NotFoundException>(() =>
            Docs(db, s => s.UploadMarkupAsync(stranger, engagement, "x.docx", TestDocx.Simple("x"), Ct)));
        // A contact may upload a mark-up but not decide changes.
        await Assert.ThrowsAsync<ForbiddenException>(() => Docs(db, s => s.DecideAsync(own, engagement, Guid.NewGuid(), true, null, Ct)));
    }

    [Fact]
    public async Task BadUploads_ChangeNothing()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var (_, engagement) = await Engagement(db);
        await Assert.ThrowsAsync<RuleViolationException>(() => Docs(db, s => s.UploadMarkupAsync(Engineer, engagement, "x.docx", "not a zip"u8.ToArray(), Ct)));
        await Assert.ThrowsAsync<RuleViolationException>(() => Docs(db, s => s.UploadMarkupAsync(Engineer, engagement, "x.docx", TestDocx.ZipBomb(), Ct)));
        Assert.Empty(await Docs(db, s => s.ListVersionsAsync(Engineer, engagement, Ct)));
        Assert.Equal(0, await db.InScopeAsync(sp => sp.GetRequiredService<ProServDbContext>().AuditEvents.CountAsync(a => a.Action.StartsWith("sow."), Ct)));
    }

    [Fact]
    public async Task Templates_AreVersioned_AndATemplateMissingFieldsIsRefusedWithTheirNames()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var (_, engagement) = await Engagement(db);
        Task<T> Templates<T>(Func<SowTemplateService, Task<T>> body) => db.InScopeAsync(sp => body(sp.GetRequiredService<SowTemplateService>()));

        var builtIn = Assert.Single(await Templates(t => t.ListAsync(Admin, Ct)));
        Assert.True(builtIn.IsBuiltIn && builtIn.IsCurrent);

        var e = await Assert.ThrowsAsync<RuleViolationException>(() =>
            Templates(t => t.UploadAsync(Admin, "bad.docx", TestDocx.Template("CustomerName", "Scope", "Offerings"), null, Ct)));
        Assert.Equal(SowTemplateService.MissingFieldsRule, e.Rule);
        foreach (var missing in new[] { "EngagementTitle", "Deliverables", "QuoteLines", "Total", "Terms" })
        {
            Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("CustomerName", e.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<ForbiddenException>(() =>
            Templates(t => t.UploadAsync(Engineer, "ok.docx", TestDocx.Template([.. SowMergeFields.Required]), null, Ct)));

        await Templates(t => t.UploadAsync(Admin, "v1.docx", DefaultSowTemplate.Bytes, "Our first", Ct));
        var v2 = await Templates(t => t.UploadAsync(Admin, "v2.docx", TestDocx.Template([.. SowMergeFields.Required]), "Shorter", Ct));
        Assert.Equal(2, v2.Number);
        var list = await Templates(t => t.ListAsync(Admin, Ct));
        Assert.Equal([2, 1, null], list.Select(t => t.Number));
        Assert.Equal([true, false, false], list.Select(t => t.IsCurrent));
        Assert.Equal(DefaultSowTemplate.Bytes, (await Templates(t => t.FileAsync(Admin, 1, Ct))).Content);

        // Generation now uses template v2.
        var version = await Docs(db, s => s.CreateVersionAsync(Engineer, engagement, null, Ct));
        Assert.Equal(2, version.TemplateNumber);
        var lines = TestDocx.Lines((await Docs(db, s => s.RenderAsync(Engineer, engagement, "docx", 1, Ct))).Content);
        Assert.Equal("Our SOW", lines[0]);
    }

    [Fact]
    public async Task Content_UsesTheQuoteSourceWhenItHasAQuote()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var (_, engagement) = await Engagement(db);
        var quote = new SowQuote("USD", [new SowQuoteLine("Migration of 80 repositories", "per-repository", 80, 150m, 12000m)],
            12000m, 1000m, 11000m, new DateOnly(2027, 1, 31), "Q-1 v1");
        var content = await db.InScopeAsync(sp => new SowContentBuilder(sp.GetRequiredService<ProServDbContext>(), new FixedQuote(quote),
            new NoSowScopeSource(), Options.Create(new SowDocumentOptions()), db.Clock).BuildAsync(Engineer, engagement, Ct));
        Assert.True(content.Pricing.IsQuote);
        Assert.Equal("USD 11,000.00", content.Pricing.TotalText);
        var text = string.Join("\n", TestDocx.Lines(SowMergeFields.Merge(DefaultSowTemplate.Bytes, content)));
        Assert.Contains("| Migration of 80 repositories | 80 | per-repository | USD 150.00 | USD 12,000.00 |", text, StringComparison.Ordinal);
        Assert.Contains("Total: USD 11,000.00", text, StringComparison.Ordinal);
        Assert.Contains("valid until 2027-01-31", text, StringComparison.Ordinal);
    }

    private sealed class FixedQuote(SowQuote quote) : ISowQuoteSource
    {
        public Task<SowQuote?> GetCurrentQuoteAsync(Guid engagementId, CancellationToken ct) => Task.FromResult<SowQuote?>(quote);
    }

    [Fact]
    public async Task Pdf_IsRenderedByLibreOffice()
    {
        var renderer = new SofficePdfRenderer(Options.Create(new SowDocumentOptions()), NullLogger<SofficePdfRenderer>.Instance);
        if (renderer.Unavailable is not null)
        {
            Assert.Skip("soffice is not installed (apt-get install libreoffice-writer-nogui)");
        }
        var docx = SowMergeFields.Merge(DefaultSowTemplate.Bytes, DocumentEngineTests.Content());
        // Two at once: each gets its own profile; the second round reuses them.
        var first = await Task.WhenAll(renderer.RenderAsync(docx, Ct), renderer.RenderAsync(docx, Ct));
        var again = await renderer.RenderAsync(docx, Ct);
        Assert.All([.. first, again], pdf => Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4)));
    }

    [Fact]
    public async Task Pdf_WithoutLibreOffice_SaysHowToEnableIt()
    {
        var renderer = new SofficePdfRenderer(Options.Create(new SowDocumentOptions { SofficePath = "/nonexistent/soffice" }),
            NullLogger<SofficePdfRenderer>.Instance);
        var e = await Assert.ThrowsAsync<RuleViolationException>(() => renderer.RenderAsync(DefaultSowTemplate.Bytes, Ct));
        Assert.Equal((SofficePdfRenderer.MissingRule, 503), (e.Rule, e.Status));
        Assert.Contains("apt-get install libreoffice-writer-nogui", e.Message, StringComparison.Ordinal);
    }
}

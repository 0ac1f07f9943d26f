using DocumentFormat.OpenXml.Packaging;
using ProServ.Core.Common;
using ProServ.Core.Features.SowDocuments;

namespace ProServ.Core.Tests.Features.SowDocuments;

/// The document engine without a database: merge fields, mark-up reading and decisions, comparison, HTML, safety.
public sealed class DocumentEngineTests
{
    private static readonly DateTime Monday = new(2026, 11, 23, 10, 30, 0, DateTimeKind.Utc);

    internal static SowContent Content(string title = "GitLab rollout", SowPricing? pricing = null) => new(
        Guid.NewGuid(), "SOW-ABCDEF12", "Acme Corp", "Premium", title,
        "Roll out GitLab to 400 developers.\nMove CI from Jenkins.",
        [
            new SowOffering("Migration Services", "migration", "Move repositories to GitLab.",
                [new SowPackage("Up to 100 repositories", "per-repository", 10000m, 25000m, "USD", "2 weeks",
                    ["Migration plan", "Migrated repositories with history"])]),
            new SowOffering("GitLab CI/CD Training", "training", "Hands-on CI/CD.",
                [new SowPackage("One class", "per-delivery", 5000m, 8000m, "USD", "1 day", ["Class for up to 20 participants"])]),
        ],
        pricing ?? new SowPricing(false, "USD",
            [new SowPriceLine("Migration Services — Up to 100 repositories", "per-repository", null, null, null, "USD 10,000.00 – 25,000.00")],
            null, null, null, "USD 15,000.00 – 33,000.00", null, null),
        "Governed by the services agreement.\nPayable within 30 days.",
        new DateOnly(2026, 11, 23));

    private static byte[] Generated(SowContent? c = null) => SowMergeFields.Merge(DefaultSowTemplate.Bytes, c ?? Content());

    [Fact]
    public void DefaultTemplate_HasEveryMergeField()
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(DefaultSowTemplate.Bytes), false);
        var found = SowMergeFields.Find(doc);
        Assert.Empty(SowMergeFields.Missing(found));
        Assert.All(SowMergeFields.All, f => Assert.Contains(f, found));
    }

    [Fact]
    public void Merge_FillsCustomerScopeOfferingsDeliverablesPricesAndTerms()
    {
        var lines = TestDocx.Lines(Generated());
        var text = string.Join("\n", lines);
        foreach (var expected in new[] { "Acme Corp", "Premium", "GitLab rollout", "Roll out GitLab to 400 developers.", "Move CI from Jenkins.",
                     "Migration Services", "Migrated repositories with history", "Class for up to 20 participants",
                     "USD 10,000.00 – 25,000.00", "Total: USD 15,000.00 – 33,000.00", "Payable within 30 days.", "SOW-ABCDEF12", "2026-11-23" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("«", text, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("| Package | Unit | ROM range |", StringComparison.Ordinal));
        // Each scope line is its own paragraph, not one run with breaks.
        Assert.Contains("Move CI from Jenkins.", lines);
    }

    [Fact]
    public void Merge_WithAQuote_ShowsQuoteLinesAndTotals()
    {
        var pricing = new SowPricing(true, "EUR",
            [new SowPriceLine("Migration, up to 100 repositories", "per-repository", 2, 9000m, 18000m, null)],
            18000m, 1800m, 16200m, "EUR 16,200.00", new DateOnly(2026, 12, 31), "Q-7 v2");
        var text = string.Join("\n", TestDocx.Lines(Generated(Content(pricing: pricing))));
        Assert.Contains("| Migration, up to 100 repositories | 2 | per-repository | EUR 9,000.00 | EUR 18,000.00 |", text, StringComparison.Ordinal);
        Assert.Contains("Subtotal: EUR 18,000.00", text, StringComparison.Ordinal);
        Assert.Contains("Discount: EUR 1,800.00", text, StringComparison.Ordinal);
        Assert.Contains("Total: EUR 16,200.00", text, StringComparison.Ordinal);
        Assert.Contains("Fees as quoted in Q-7 v2, valid until 2026-12-31.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_HandlesComplexFieldsAsWellAsSimpleOnes()
    {
        var template = TestDocx.Template([.. SowMergeFields.Required]);
        using (var doc = WordprocessingDocument.Open(new MemoryStream(template), false))
        {
            Assert.Empty(SowMergeFields.Missing(SowMergeFields.Find(doc)));
        }
        var text = string.Join("\n", TestDocx.Lines(SowMergeFields.Merge(template, Content())));
        Assert.Contains("CustomerName: Acme Corp", text, StringComparison.Ordinal);
        Assert.Contains("GitLab rollout", text, StringComparison.Ordinal);
        Assert.DoesNotContain("MERGEFIELD", text, StringComparison.Ordinal);
        Assert.DoesNotContain("«", text, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFields_AreListed()
    {
        using var doc = WordprocessingDocument.Open(new MemoryStream(TestDocx.Template("CustomerName", "Scope")), false);
        Assert.Equal(["EngagementTitle", "Offerings", "Deliverables", "QuoteLines", "Total", "Terms"], SowMergeFields.Missing(SowMergeFields.Find(doc)));
    }

    private static byte[] MarkedUp() => TestDocx.MarkUp(Generated(), m => m
        .Insert("Roll out GitLab", " Include the Jira integration.", "Jane Customer", Monday)
        .Delete("Payable within 30 days.", "Bob Legal", Monday.AddHours(1))
        .Comment("Migrated repositories with history", "Does this include LFS objects?", "Jane Customer", Monday.AddHours(2))
        .InsertParagraph("Governed by the services agreement.", "Liability is capped at the fees paid.", "Bob Legal", Monday.AddHours(3)));

    [Fact]
    public void Read_ListsInsertionsDeletionsAndComments_WithAuthorDateTextAndContext()
    {
        var (_, changes) = DocxMarkup.Read(MarkedUp());
        Assert.Equal(4, changes.Count);
        var ins = changes.Single(c => c.Kind == SowChangeKind.Insertion && c.Text.Contains("Jira", StringComparison.Ordinal));
        Assert.Equal("Jane Customer", ins.Author);
        Assert.Equal(new DateTimeOffset(Monday), ins.Date);
        Assert.Equal(" Include the Jira integration.", ins.Text);
        Assert.Contains("Roll out GitLab to 400 developers.", ins.Context, StringComparison.Ordinal);
        var del = changes.Single(c => c.Kind == SowChangeKind.Deletion);
        Assert.Equal(("Bob Legal", "Payable within 30 days."), (del.Author, del.Text));
        var comment = changes.Single(c => c.Kind == SowChangeKind.Comment);
        Assert.Equal(("Jane Customer", "Does this include LFS objects?"), (comment.Author, comment.Text));
        Assert.Equal(new DateTimeOffset(Monday.AddHours(2)), comment.Date);
        Assert.Contains("Migrated repositories with history", comment.Context, StringComparison.Ordinal);
        // Document order: scope, then deliverables (the comment), then the terms (new paragraph before the deletion).
        Assert.Equal(["insertion", "comment", "insertion", "deletion"], changes.Select(c => c.Kind));
        Assert.Equal([1, 2, 3, 4], changes.Select(c => c.Ordinal));
    }

    [Fact]
    public void Decisions_AcceptKeepsInsertionsAndDropsDeletions_RejectDoesTheOpposite()
    {
        var doc = MarkedUp();
        var changes = DocxMarkup.Read(doc).Changes;
        var ins = changes[0];
        var del = changes.Single(c => c.Kind == SowChangeKind.Deletion);

        var accepted = DocxMarkup.Apply(doc, ins.Kind, ins.WordId, accept: true)!;
        Assert.Contains("Roll out GitLab to 400 developers. Include the Jira integration.", TestDocx.Lines(accepted));
        var rejected = DocxMarkup.Apply(doc, ins.Kind, ins.WordId, accept: false)!;
        Assert.Contains("Roll out GitLab to 400 developers.", TestDocx.Lines(rejected));
        Assert.DoesNotContain("Jira", string.Join("\n", TestDocx.Lines(rejected)), StringComparison.Ordinal);

        var deleted = DocxMarkup.Apply(doc, del.Kind, del.WordId, accept: true)!;
        Assert.DoesNotContain("Payable within 30 days.", string.Join("\n", TestDocx.Lines(deleted)), StringComparison.Ordinal);
        var kept = DocxMarkup.Apply(doc, del.Kind, del.WordId, accept: false)!;
        Assert.Contains("Payable within 30 days.", TestDocx.Lines(kept));

        // The other changes are still there, and findable again, in the next version.
        Assert.Equal(3, DocxMarkup.Read(accepted).Changes.Count);
        Assert.Null(DocxMarkup.Apply(accepted, ins.Kind, ins.WordId, accept: true));
    }

    [Fact]
    public void Decisions_OnAnInsertedParagraph_RejectRemovesTheParagraph()
    {
        var doc = MarkedUp();
        var paragraph = DocxMarkup.Read(doc).Changes.Single(c => c.Text == "Liability is capped at the fees paid.");
        var before = TestDocx.Lines(doc).Count;
        var rejected = DocxMarkup.Apply(doc, paragraph.Kind, paragraph.WordId, accept: false)!;
        Assert.Equal(before - 1, TestDocx.Lines(rejected).Count);
        var accepted = DocxMarkup.Apply(doc, paragraph.Kind, paragraph.WordId, accept: true)!;
        Assert.Contains("Liability is capped at the fees paid.", TestDocx.Lines(accepted));
    }

    [Fact]
    public void Decisions_OnAComment_RemoveItAndKeepTheText()
    {
        var doc = MarkedUp();
        var comment = DocxMarkup.Read(doc).Changes.Single(c => c.Kind == SowChangeKind.Comment);
        var next = DocxMarkup.Apply(doc, comment.Kind, comment.WordId, accept: true)!;
        Assert.DoesNotContain(DocxMarkup.Read(next).Changes, c => c.Kind == SowChangeKind.Comment);
        Assert.Contains("• Migrated repositories with history", TestDocx.Lines(next));
        Assert.DoesNotContain("LFS", DocxHtml.Fragment(next), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RenumbersRepeatedRevisionIds_SoEachChangeCanBeFound()
    {
        var doc = TestDocx.MarkUp(TestDocx.Simple("One", "Two"), m => m.Insert("One", " more", "A", Monday).Insert("Two", " again", "B", Monday));
        // Make both ids the same, as some editors do.
        doc = TestDocx.MarkUp(doc, _ => { });
        using (var ms = new MemoryStream())
        {
            ms.Write(doc);
            using (var d = WordprocessingDocument.Open(ms, true))
            {
                foreach (var r in d.MainDocumentPart!.Document.Body!.Descendants<DocumentFormat.OpenXml.Wordprocessing.InsertedRun>()) r.Id = "7";
                d.MainDocumentPart.Document.Save();
            }
            doc = ms.ToArray();
        }
        var (stored, changes) = DocxMarkup.Read(doc);
        Assert.Equal(2, changes.Select(c => c.WordId).Distinct().Count());
        var second = DocxMarkup.Apply(stored, changes[1].Kind, changes[1].WordId, accept: false)!;
        Assert.Equal(["One{+ more+}", "Two"], TestDocx.Lines(second));
    }

    [Fact]
    public void Compare_ShowsAddedAndRemovedParagraphs()
    {
        var diff = ParagraphDiff.Compare(["a", "b", "c", "d"], ["a", "c", "x", "d"]);
        Assert.Equal(
            [("same", "a"), ("removed", "b"), ("same", "c"), ("added", "x"), ("same", "d")],
            diff.Select(l => (l.Op, l.Text)));
        Assert.All(ParagraphDiff.Compare([], ["n"]), l => Assert.Equal("added", l.Op));
    }

    [Fact]
    public void Html_EncodesEverythingFromTheDocument()
    {
        var hostile = TestDocx.MarkUp(Generated(Content(title: "<script>alert(1)</script> & <img src=x onerror=alert(2)>")),
            m => m.Comment("Acme", "<b onmouseover=alert(3)>hi</b>", "<i>Mallory</i>", Monday));
        var html = DocxHtml.Page(hostile, "<title>");
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<i>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Statement of Work</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<table>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_ShowsTrackedChanges()
    {
        var html = DocxHtml.Fragment(TestDocx.MarkUp(TestDocx.Simple("Keep this"), m => m.Insert("Keep", " and this", "A", Monday).Delete("this", "B", Monday)));
        Assert.Contains("<ins>", html, StringComparison.Ordinal);
        Assert.Contains("<del>this</del>", html, StringComparison.Ordinal);
    }

    private static readonly SowDocumentOptions Limits = new();

    [Fact]
    public void Safety_AcceptsARealDocx() => DocxSafety.EnsureSafeDocx(Generated(), Limits);

    [Fact]
    public void Safety_RefusesFilesThatAreNotDocx()
    {
        var text = Assert.Throws<RuleViolationException>(() => DocxSafety.EnsureSafeDocx("just some text"u8.ToArray(), Limits));
        Assert.Equal(DocxSafety.NotDocxRule, text.Rule);
        Assert.Contains(".docx", text.Message, StringComparison.Ordinal);
        Assert.Equal(DocxSafety.NotDocxRule, Assert.Throws<RuleViolationException>(() => DocxSafety.EnsureSafeDocx([], Limits)).Rule);
        // A ZIP, but not an Office package.
        Assert.Equal(DocxSafety.NotDocxRule, Assert.Throws<RuleViolationException>(() => DocxSafety.EnsureSafeDocx(TestDocx.ManyEntries(3), Limits)).Rule);
        // A truncated DOCX.
        var cut = Generated()[..600];
        Assert.Equal(DocxSafety.NotDocxRule, Assert.Throws<RuleViolationException>(() => DocxSafety.EnsureSafeDocx(cut, Limits)).Rule);
    }

    [Fact]
    public void Safety_RefusesZipBombs_ByRatioEntryCountAndTotalSize()
    {
        var ratio = Assert.Throws<RuleViolationException>(() => DocxSafety.EnsureSafeDocx(TestDocx.ZipBomb(), Limits));
        Assert.Equal(DocxSafety.ZipBombRule, ratio.Rule);
        Assert.Contains("zip bomb", ratio.Message, StringComparison.Ordinal);
        var many = Assert.Throws<RuleViolationException>(() => DocxSafety.EnsureSafeDocx(TestDocx.ManyEntries(1001), Limits));
        Assert.Equal(DocxSafety.ZipBombRule, many.Rule);
        var total = Assert.Throws<RuleViolationException>(() =>
            DocxSafety.EnsureSafeDocx(TestDocx.ZipBomb(8), new SowDocumentOptions { MaxUncompressedBytes = 4 * 1024 * 1024, MaxCompressionRatio = 100000 }));
        Assert.Equal(DocxSafety.ZipBombRule, total.Rule);
    }

    [Fact]
    public void Safety_RefusesOversizedUploadsWith413()
    {
        var e = Assert.Throws<RuleViolationException>(() => DocxSafety.EnsureSafeDocx(Generated(), new SowDocumentOptions { MaxUploadBytes = 1000 }));
        Assert.Equal((DocxSafety.TooLargeRule, 413), (e.Rule, e.Status));
    }
}

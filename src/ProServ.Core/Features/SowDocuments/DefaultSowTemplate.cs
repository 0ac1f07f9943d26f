using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ProServ.Core.Features.SowDocuments;

/// The SOW template ProServ ships: built in code (no binary in the repository), used until an administrator
/// uploads one, and downloadable as the starting point for theirs.
public static class DefaultSowTemplate
{
    public const string FileName = "proserv-sow-template.docx";

    private static readonly Lazy<byte[]> Cached = new(Build);

    public static byte[] Bytes => Cached.Value;

    private static byte[] Build()
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = Styles();
            doc.PackageProperties.Title = "Statement of Work";
            doc.PackageProperties.Creator = "ProServ";

            var body = new Body(
                P("Title", T("Statement of Work")),
                P(null, T("Prepared for "), F(SowMergeFields.CustomerName, bold: true), T(" ("), F(SowMergeFields.CustomerTier), T(")")),
                P(null, T("Engagement: "), F(SowMergeFields.EngagementTitle)),
                P(null, T("Reference: "), F(SowMergeFields.Reference), T(" · Date: "), F(SowMergeFields.Date)),
                P("Heading1", T("1. Scope and goals")),
                P(null, F(SowMergeFields.Scope)),
                P("Heading1", T("2. Services")),
                P(null, F(SowMergeFields.Offerings)),
                P("Heading1", T("3. Deliverables")),
                P(null, F(SowMergeFields.Deliverables)),
                P("Heading1", T("4. Fees")),
                P(null, F(SowMergeFields.PricingBasis)),
                P(null, F(SowMergeFields.QuoteLines)),
                P(null, T("Subtotal: "), F(SowMergeFields.Subtotal)),
                P(null, T("Discount: "), F(SowMergeFields.Discount)),
                P(null, T("Total: "), F(SowMergeFields.Total, bold: true)),
                P(null, T("All amounts in "), F(SowMergeFields.Currency), T("; the quote is valid until "), F(SowMergeFields.ValidUntil), T(".")),
                P("Heading1", T("5. Terms")),
                P(null, F(SowMergeFields.Terms)),
                P("Heading1", T("6. Acceptance")),
                P(null, T("Signed for the customer: ______________________   Date: __________")),
                P(null, T("Signed for Professional Services: ______________________   Date: __________")),
                new SectionProperties(
                    new PageSize { Width = 11906, Height = 16838 },
                    new PageMargin { Top = 1134, Bottom = 1134, Left = 1134, Right = 1134, Header = 567, Footer = 567, Gutter = 0 }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return ms.ToArray();
    }

    private static Paragraph P(string? style, params OpenXmlElement[] content)
    {
        var p = new Paragraph();
        if (style is not null) p.AppendChild(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        foreach (var c in content) p.AppendChild(c);
        return p;
    }

    private static Run T(string text) => new(new Text(text) { Space = SpaceProcessingModeValues.Preserve });

    private static SimpleField F(string name, bool bold = false)
    {
        var run = new Run();
        if (bold) run.AppendChild(new RunProperties(new Bold()));
        run.AppendChild(new Text($"«{name}»"));
        return new SimpleField(run) { Instruction = $" MERGEFIELD {name} \\* MERGEFORMAT " };
    }

    private static Styles Styles()
    {
        Style Paragraph(string id, string name, int halfPoints, bool bold, int spaceBefore, string? color = null)
        {
            var rPr = new StyleRunProperties(new RunFonts { Ascii = "Liberation Sans", HighAnsi = "Liberation Sans" }, new FontSize { Val = halfPoints.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            if (bold) rPr.AppendChild(new Bold());
            if (color is not null) rPr.AppendChild(new Color { Val = color });
            return new Style(
                new StyleName { Val = name },
                new BasedOn { Val = id == "Normal" ? null : "Normal" },
                new StyleParagraphProperties(new SpacingBetweenLines { Before = spaceBefore.ToString(System.Globalization.CultureInfo.InvariantCulture), After = "120" }),
                rPr)
            { Type = StyleValues.Paragraph, StyleId = id, Default = id == "Normal" ? true : null };
        }
        var styles = new Styles(
            Paragraph("Normal", "Normal", 21, false, 0),
            Paragraph("Title", "Title", 40, true, 0, "1F3864"),
            Paragraph("Heading1", "heading 1", 28, true, 240, "1F3864"),
            Paragraph("Heading2", "heading 2", 24, true, 180, "1F3864"));
        foreach (var s in styles.Elements<Style>())
        {
            if (s.StyleId?.Value == "Normal") s.GetFirstChild<BasedOn>()?.Remove();
        }
        return styles;
    }
}

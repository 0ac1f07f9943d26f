using System.Globalization;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ProServ.Core.Features.SowDocuments;

/// The merge fields a SOW template may use, and the merge itself. Fields are Word MERGEFIELD fields (Insert ›
/// Quick Parts › Field › MergeField), simple or complex; block fields (Scope, Offerings, Deliverables, QuoteLines,
/// Terms) standing alone in a paragraph are replaced by paragraphs or a table.
public static partial class SowMergeFields
{
    public const string CustomerName = "CustomerName";
    public const string CustomerTier = "CustomerTier";
    public const string EngagementTitle = "EngagementTitle";
    public const string Reference = "Reference";
    public const string Date = "Date";
    public const string Scope = "Scope";
    public const string Offerings = "Offerings";
    public const string Deliverables = "Deliverables";
    public const string PricingBasis = "PricingBasis";
    public const string QuoteLines = "QuoteLines";
    public const string Currency = "Currency";
    public const string Subtotal = "Subtotal";
    public const string Discount = "Discount";
    public const string Total = "Total";
    public const string ValidUntil = "ValidUntil";
    public const string Terms = "Terms";

    /// A template without any of these is refused: a SOW must name the customer, the scope, what is delivered,
    /// what it costs and on which terms.
    public static IReadOnlyList<string> Required { get; } =
        [CustomerName, EngagementTitle, Scope, Offerings, Deliverables, QuoteLines, Total, Terms];

    public static IReadOnlyList<string> All { get; } =
        [CustomerName, CustomerTier, EngagementTitle, Reference, Date, Scope, Offerings, Deliverables, PricingBasis,
            QuoteLines, Currency, Subtotal, Discount, Total, ValidUntil, Terms];

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase) { Scope, Offerings, Deliverables, QuoteLines, Terms };

    public static string Describe(string field) => field switch
    {
        CustomerName => "the customer's name",
        CustomerTier => "the customer's subscription tier",
        EngagementTitle => "the engagement's title",
        Reference => "the SOW reference",
        Date => "the date the document was generated",
        Scope => "scope and business goals (paragraphs)",
        Offerings => "the offerings with their packages (paragraphs)",
        Deliverables => "the deliverables of every package (paragraphs)",
        PricingBasis => "one sentence saying whether fees come from a quote or from ROM ranges",
        QuoteLines => "the quote lines, or the packages' ROM ranges (a table)",
        Currency => "the currency",
        Subtotal => "the quote subtotal",
        Discount => "the quote discount",
        Total => "the total (or the ROM range of the total)",
        ValidUntil => "the quote's validity date",
        Terms => "the terms (paragraphs)",
        _ => field,
    };

    [GeneratedRegex("""^\s*MERGEFIELD\s+"?([^\s"\\]+)"?""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MergeFieldInstruction();

    public static string? FieldName(string? instruction)
    {
        if (instruction is null) return null;
        var m = MergeFieldInstruction().Match(instruction);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// The merge field names used anywhere in the document (body, headers, footers).
    public static IReadOnlySet<string> Find(WordprocessingDocument doc)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var root in Roots(doc))
        {
            foreach (var f in root.Descendants<SimpleField>())
            {
                if (FieldName(f.Instruction?.Value) is { } n) names.Add(n);
            }
            // Complex fields: the instruction may be split over several w:instrText runs.
            foreach (var instr in ComplexInstructions(root))
            {
                if (FieldName(instr) is { } n) names.Add(n);
            }
        }
        return names;
    }

    public static IReadOnlyList<string> Missing(IReadOnlySet<string> found) =>
        Required.Where(r => !found.Contains(r)).ToList();

    /// Fills a copy of the template with the content and returns the DOCX.
    public static byte[] Merge(byte[] template, SowContent content)
    {
        using var ms = new MemoryStream();
        ms.Write(template);
        using (var doc = WordprocessingDocument.Open(ms, true))
        {
            foreach (var root in Roots(doc))
            {
                NormaliseComplexFields(root);
                foreach (var field in root.Descendants<SimpleField>().ToList())
                {
                    var name = FieldName(field.Instruction?.Value);
                    if (name is null) continue;
                    var canonical = All.FirstOrDefault(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
                    if (canonical is null) continue;
                    var paragraph = field.Ancestors<Paragraph>().FirstOrDefault();
                    if (Blocks.Contains(canonical) && paragraph is not null && root is Body && StandsAlone(paragraph, field)
                        && paragraph.Parent is not null)
                    {
                        ReplaceParagraph(paragraph, Block(canonical, content, paragraph));
                    }
                    else
                    {
                        ReplaceInline(field, InlineText(canonical, content));
                    }
                }
            }
            doc.MainDocumentPart!.Document.Save();
        }
        return ms.ToArray();
    }

    private static IEnumerable<OpenXmlElement> Roots(WordprocessingDocument doc)
    {
        var main = doc.MainDocumentPart;
        if (main?.Document?.Body is { } body) yield return body;
        if (main is null) yield break;
        foreach (var h in main.HeaderParts) if (h.Header is { } header) yield return header;
        foreach (var f in main.FooterParts) if (f.Footer is { } footer) yield return footer;
    }

    private static IEnumerable<string> ComplexInstructions(OpenXmlElement root)
    {
        foreach (var p in root.Descendants<Paragraph>())
        {
            string? current = null;
            foreach (var run in p.Descendants<Run>())
            {
                foreach (var child in run.ChildElements)
                {
                    if (child is FieldChar fc)
                    {
                        var type = fc.FieldCharType?.Value;
                        if (type == FieldCharValues.Begin) current = "";
                        else if (current is not null)
                        {
                            yield return current;
                            current = null;
                        }
                    }
                    else if (child is FieldCode code && current is not null)
                    {
                        current += code.Text;
                    }
                }
            }
        }
    }

    /// Rewrites each complex MERGEFIELD (begin · instrText · separate · result · end, as sibling runs of one
    /// paragraph) into a w:fldSimple, so that the merge has one shape to deal with.
    private static void NormaliseComplexFields(OpenXmlElement root)
    {
        foreach (var begin in root.Descendants<Run>()
                     .Where(r => r.Elements<FieldChar>().Any(f => f.FieldCharType?.Value == FieldCharValues.Begin)).ToList())
        {
            if (begin.Parent is null) continue;
            var span = new List<Run> { begin };
            var instruction = "";
            var result = new List<Run>();
            var inResult = false;
            var closed = false;
            for (var node = begin.NextSibling(); node is not null; node = node.NextSibling())
            {
                if (node is not Run run)
                {
                    if (node is BookmarkStart or BookmarkEnd or ProofError) continue;
                    break;
                }
                span.Add(run);
                var fc = run.GetFirstChild<FieldChar>()?.FieldCharType?.Value;
                if (fc == FieldCharValues.Begin) break; // nested field: leave it as it is
                if (fc == FieldCharValues.Separate) { inResult = true; continue; }
                if (fc == FieldCharValues.End) { closed = true; break; }
                if (inResult) result.Add(run);
                else instruction += string.Concat(run.Elements<FieldCode>().Select(c => c.Text));
            }
            if (!closed || FieldName(instruction) is null) continue;
            var simple = new SimpleField { Instruction = instruction };
            foreach (var r in result) simple.AppendChild(r.CloneNode(true));
            begin.InsertBeforeSelf(simple);
            foreach (var r in span) r.Remove();
        }
    }

    private static bool StandsAlone(Paragraph p, SimpleField field) =>
        string.IsNullOrWhiteSpace(string.Concat(p.Descendants<Text>().Where(t => !t.Ancestors<SimpleField>().Contains(field)).Select(t => t.Text)));

    private static void ReplaceParagraph(Paragraph paragraph, IReadOnlyList<OpenXmlElement> blocks)
    {
        foreach (var b in blocks) paragraph.InsertBeforeSelf(b);
        // A table cell must end with a paragraph.
        if (paragraph.Parent is TableCell && blocks[^1] is Table) paragraph.InsertBeforeSelf(new Paragraph());
        paragraph.Remove();
    }

    private static void ReplaceInline(SimpleField field, string text)
    {
        var props = field.Descendants<RunProperties>().FirstOrDefault()?.CloneNode(true) as RunProperties;
        var run = new Run();
        if (props is not null) run.AppendChild(props);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) run.AppendChild(new Break());
            run.AppendChild(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
        }
        if (field.Parent is Paragraph or Hyperlink or SimpleField or InsertedRun or SdtContentRun)
        {
            field.InsertBeforeSelf(run);
            field.Remove();
        }
        else
        {
            field.InsertBeforeSelf(new Paragraph(run));
            field.Remove();
        }
    }

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string InlineText(string field, SowContent c) => field switch
    {
        CustomerName => c.CustomerName,
        CustomerTier => c.Tier,
        EngagementTitle => c.EngagementTitle,
        Reference => c.Reference,
        Date => D(c.Date),
        Scope => c.Scope,
        Offerings => string.Join("\n", c.Offerings.Select(o => o.Name)),
        Deliverables => string.Join("\n", c.Offerings.SelectMany(o => o.Packages).SelectMany(p => p.Deliverables)),
        PricingBasis => PricingBasisText(c.Pricing),
        QuoteLines => string.Join("\n", c.Pricing.Lines.Select(LineText)),
        Currency => c.Pricing.Currency,
        Subtotal => c.Pricing.Subtotal is { } s ? SowContentBuilder.Money(c.Pricing.Currency, s) : "—",
        Discount => c.Pricing.Discount is { } d ? SowContentBuilder.Money(c.Pricing.Currency, d) : "—",
        Total => c.Pricing.TotalText ?? "—",
        ValidUntil => c.Pricing.ValidUntil is { } v ? D(v) : "—",
        Terms => c.Terms,
        _ => "",
    };

    public static string PricingBasisText(SowPricing p) => p.IsQuote
        ? $"Fees as quoted{(p.QuoteReference is null ? "" : " in " + p.QuoteReference)}{(p.ValidUntil is { } v ? ", valid until " + D(v) : "")}."
        : "No quote has been issued yet: the fees below are the catalog's rough-order-of-magnitude ranges, confirmed by the quote.";

    public static string LineText(SowPriceLine l) => l.Amount is { } amount
        ? string.Create(CultureInfo.InvariantCulture, $"{l.Description}: {l.Quantity:0.##} × {l.UnitPrice:N2} ({l.Unit}) = {amount:N2}")
        : $"{l.Description} ({l.Unit}): {l.RangeText}";

    private static IReadOnlyList<OpenXmlElement> Block(string field, SowContent c, Paragraph at)
    {
        var pPr = at.ParagraphProperties;
        Paragraph Para(string text, bool bold = false, bool bullet = false)
        {
            var p = new Paragraph();
            if (pPr?.CloneNode(true) is ParagraphProperties props)
            {
                p.AppendChild(props);
            }
            if (bullet)
            {
                p.ParagraphProperties ??= new ParagraphProperties();
                p.ParagraphProperties.Indentation = new Indentation { Left = "360", Hanging = "240" };
                text = "• " + text;
            }
            var run = new Run();
            if (bold) run.AppendChild(new RunProperties(new Bold()));
            run.AppendChild(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
            p.AppendChild(run);
            return p;
        }

        var list = new List<OpenXmlElement>();
        switch (field)
        {
            case Scope:
            case Terms:
                foreach (var line in (field == Scope ? c.Scope : c.Terms).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
                    list.Add(Para(line));
                break;
            case Offerings:
                foreach (var o in c.Offerings)
                {
                    list.Add(Para(o.Name, bold: true));
                    if (o.Summary.Length > 0) list.Add(Para(o.Summary));
                    foreach (var p in o.Packages)
                        list.Add(Para($"{p.Name} — priced {p.Unit}{(p.TypicalDuration.Length > 0 ? ", typically " + p.TypicalDuration : "")}", bullet: true));
                }
                break;
            case Deliverables:
                foreach (var o in c.Offerings)
                {
                    list.Add(Para(o.Name, bold: true));
                    var items = o.Packages.SelectMany(p => p.Deliverables).Distinct(StringComparer.Ordinal).ToList();
                    if (items.Count == 0) list.Add(Para("Deliverables are agreed during scoping.", bullet: true));
                    foreach (var d in items) list.Add(Para(d, bullet: true));
                }
                break;
            case QuoteLines:
                list.Add(PriceTable(c.Pricing));
                break;
        }
        if (list.Count == 0) list.Add(Para("—"));
        return list;
    }

    private static Table PriceTable(SowPricing pricing)
    {
        var border = new BorderType[] { new TopBorder(), new BottomBorder(), new LeftBorder(), new RightBorder(), new InsideHorizontalBorder(), new InsideVerticalBorder() };
        var borders = new TableBorders();
        foreach (var b in border)
        {
            b.Val = BorderValues.Single;
            b.Size = 4;
            borders.AppendChild(b);
        }
        var table = new Table(new TableProperties(borders, new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" }));
        TableRow Row(bool header, params string[] cells)
        {
            var row = new TableRow();
            foreach (var text in cells)
            {
                var run = new Run();
                if (header) run.AppendChild(new RunProperties(new Bold()));
                run.AppendChild(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
                row.AppendChild(new TableCell(new Paragraph(run)));
            }
            return row;
        }
        if (pricing.IsQuote)
        {
            table.AppendChild(Row(true, "Description", "Quantity", "Unit", "Unit price", "Amount"));
            foreach (var l in pricing.Lines)
            {
                table.AppendChild(Row(false, l.Description,
                    (l.Quantity ?? 0).ToString("0.##", CultureInfo.InvariantCulture), l.Unit,
                    SowContentBuilder.Money(pricing.Currency, l.UnitPrice ?? 0), SowContentBuilder.Money(pricing.Currency, l.Amount ?? 0)));
            }
        }
        else
        {
            table.AppendChild(Row(true, "Package", "Unit", "ROM range"));
            foreach (var l in pricing.Lines) table.AppendChild(Row(false, l.Description, l.Unit, l.RangeText ?? ""));
            if (pricing.Lines.Count == 0) table.AppendChild(Row(false, "No catalog package yet", "", ""));
        }
        return table;
    }
}

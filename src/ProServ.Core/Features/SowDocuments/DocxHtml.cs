using System.Globalization;
using System.Net;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ProServ.Core.Features.SowDocuments;

/// Renders a DOCX as HTML. Only text is taken from the document and every piece of it is HTML-encoded; no
/// attribute, link, style or image of the document reaches the output, so a hostile upload cannot script the page.
public static class DocxHtml
{
    public static string Page(byte[] docx, string title) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + E(title) + "</title>" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>" + Css + "</style></head><body>" +
        Fragment(docx) + "</body></html>\n";

    public const string Css =
        "article.sow{font-family:'Liberation Sans',Arial,sans-serif;max-width:50rem;margin:1rem auto;line-height:1.45}" +
        "article.sow table{border-collapse:collapse;width:100%}article.sow td,article.sow th{border:1px solid #999;padding:.25rem .5rem;text-align:left}" +
        "article.sow ins{background:#e6ffe6;text-decoration:underline}article.sow del{background:#ffe6e6}" +
        "article.sow .indent{margin-left:1.5rem}article.sow .comments{border-top:1px solid #ccc;margin-top:2rem;font-size:.9em}";

    /// The document as an &lt;article&gt; element, safe to embed in a page.
    public static string Fragment(byte[] docx)
    {
        using var ms = new MemoryStream(docx, writable: false);
        using var doc = WordprocessingDocument.Open(ms, false);
        var sb = new StringBuilder("<article class=\"sow\">");
        var commentNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
        Blocks(doc.MainDocumentPart!.Document.Body!, sb, commentNumbers);
        var comments = doc.MainDocumentPart.WordprocessingCommentsPart?.Comments?.Elements<Comment>().ToList() ?? [];
        if (comments.Count > 0)
        {
            sb.Append("<section class=\"comments\"><h2>Comments</h2><ol>");
            foreach (var c in comments)
            {
                var id = c.Id?.Value ?? "";
                var n = commentNumbers.TryGetValue(id, out var k) ? k : 0;
                sb.Append("<li>");
                if (n > 0) sb.Append(CultureInfo.InvariantCulture, $"<strong>[{n}]</strong> ");
                sb.Append("<em>").Append(E(c.Author?.Value ?? "unknown")).Append("</em>");
                if (c.Date?.Value is { } d) sb.Append(" (").Append(E(d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append(')');
                sb.Append(": ").Append(E(string.Join(" ", c.Elements<Paragraph>().Select(p => string.Concat(p.Descendants<Text>().Select(t => t.Text))))));
                sb.Append("</li>");
            }
            sb.Append("</ol></section>");
        }
        sb.Append("</article>");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static void Blocks(OpenXmlElement container, StringBuilder sb, Dictionary<string, int> comments)
    {
        foreach (var e in container.ChildElements)
        {
            switch (e)
            {
                case Paragraph p:
                    var style = p.ParagraphProperties?.ParagraphStyleId?.Val?.Value ?? "";
                    var tag = style switch
                    {
                        "Title" => "h1",
                        "Heading1" => "h2",
                        "Heading2" => "h3",
                        "Heading3" => "h4",
                        _ => "p",
                    };
                    var indent = tag == "p" && p.ParagraphProperties?.Indentation?.Left?.Value is { Length: > 0 } l && l != "0";
                    sb.Append('<').Append(tag).Append(indent ? " class=\"indent\">" : ">");
                    Inline(p, sb, comments);
                    sb.Append("</").Append(tag).Append('>');
                    break;
                case Table t:
                    sb.Append("<table>");
                    var first = true;
                    foreach (var row in t.Elements<TableRow>())
                    {
                        sb.Append("<tr>");
                        foreach (var cell in row.Elements<TableCell>())
                        {
                            var cellTag = first ? "th" : "td";
                            sb.Append('<').Append(cellTag).Append('>');
                            var paragraphs = cell.Elements<Paragraph>().ToList();
                            for (var i = 0; i < paragraphs.Count; i++)
                            {
                                if (i > 0) sb.Append("<br>");
                                Inline(paragraphs[i], sb, comments);
                            }
                            sb.Append("</").Append(cellTag).Append('>');
                        }
                        sb.Append("</tr>");
                        first = false;
                    }
                    sb.Append("</table>");
                    break;
                case SdtBlock sdt when sdt.SdtContentBlock is { } content:
                    Blocks(content, sb, comments);
                    break;
            }
        }
    }

    private static void Inline(OpenXmlElement e, StringBuilder sb, Dictionary<string, int> comments)
    {
        foreach (var c in e.ChildElements)
        {
            switch (c)
            {
                case InsertedRun or MoveToRun:
                    sb.Append("<ins>");
                    Inline(c, sb, comments);
                    sb.Append("</ins>");
                    break;
                case DeletedRun or MoveFromRun:
                    sb.Append("<del>");
                    Inline(c, sb, comments);
                    sb.Append("</del>");
                    break;
                case Run r:
                    var rp = r.RunProperties;
                    var bold = rp?.Bold is { } b && (b.Val is null || b.Val.Value);
                    var italic = rp?.Italic is { } i && (i.Val is null || i.Val.Value);
                    if (bold) sb.Append("<strong>");
                    if (italic) sb.Append("<em>");
                    foreach (var x in r.ChildElements)
                    {
                        switch (x)
                        {
                            case Text t: sb.Append(E(t.Text)); break;
                            case DeletedText d: sb.Append(E(d.Text)); break;
                            case TabChar: sb.Append(' '); break;
                            case Break or CarriageReturn: sb.Append("<br>"); break;
                            case CommentReference cr when cr.Id?.Value is { } id:
                                if (!comments.TryGetValue(id, out var n)) comments[id] = n = comments.Count + 1;
                                sb.Append(CultureInfo.InvariantCulture, $"<sup>[{n}]</sup>");
                                break;
                        }
                    }
                    if (italic) sb.Append("</em>");
                    if (bold) sb.Append("</strong>");
                    break;
                case ParagraphProperties:
                    break;
                default:
                    // Hyperlinks, fields, content controls, smart tags: their runs, never their targets.
                    Inline(c, sb, comments);
                    break;
            }
        }
    }
}

using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ProServ.Core.Features.SowDocuments;

public sealed record MarkupChange(int Ordinal, string Kind, string WordId, string? Author, DateTimeOffset? Date, string Text, string Context);

/// Reads the tracked changes and comments of a marked-up DOCX, and applies one decision (accept or reject)
/// to produce the next version. Only the main document body is considered: that is where a SOW is negotiated.
public static class DocxMarkup
{
    private const int MaxText = 4000;
    private const int MaxContext = 1000;

    /// The changes in document order. The returned bytes are the file to store: identical to the upload unless
    /// revision ids were missing or repeated, in which case they are renumbered so every change can be found again.
    public static (byte[] Document, IReadOnlyList<MarkupChange> Changes) Read(byte[] docx)
    {
        using var ms = new MemoryStream();
        ms.Write(docx);
        var changes = new List<MarkupChange>();
        var renumbered = false;
        using (var doc = WordprocessingDocument.Open(ms, true))
        {
            var main = doc.MainDocumentPart!;
            var body = main.Document.Body!;
            var revisions = Revisions(body).ToList();
            var ids = revisions.Select(r => r.GetAttribute("id", W).Value).ToList();
            if (ids.Any(string.IsNullOrEmpty) || ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            {
                var next = 900000;
                foreach (var r in revisions) r.SetAttribute(new OpenXmlAttribute("w", "id", W, (next++).ToString(CultureInfo.InvariantCulture)));
                renumbered = true;
            }

            var comments = main.WordprocessingCommentsPart?.Comments?.Elements<Comment>().ToList() ?? [];
            var anchors = CommentAnchors(body);
            // One ordered walk so that insertions, deletions and comments appear as they do in the document.
            var ordinal = 0;
            var seenComments = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in body.Descendants())
            {
                if (e is InsertedRun or MoveToRun or DeletedRun or MoveFromRun)
                {
                    var insertion = e is InsertedRun or MoveToRun;
                    var text = insertion
                        ? string.Concat(e.Descendants<Text>().Select(t => t.Text))
                        : string.Concat(e.Descendants<DeletedText>().Select(t => t.Text));
                    var paragraph = e.Ancestors<Paragraph>().FirstOrDefault();
                    changes.Add(new MarkupChange(++ordinal, insertion ? SowChangeKind.Insertion : SowChangeKind.Deletion,
                        e.GetAttribute("id", W).Value!, Author(e), Date(e), Cut(text, MaxText),
                        Cut(paragraph is null ? "" : DocxText.Paragraph(paragraph), MaxContext)));
                }
                else if (e is CommentRangeStart or CommentReference)
                {
                    var id = e.GetAttribute("id", W).Value ?? "";
                    if (!seenComments.Add(id)) continue;
                    var comment = comments.FirstOrDefault(c => c.Id?.Value == id);
                    if (comment is null) continue;
                    var text = string.Join("\n", comment.Elements<Paragraph>().Select(p => string.Concat(p.Descendants<Text>().Select(t => t.Text))));
                    var context = anchors.TryGetValue(id, out var a) && a.Length > 0
                        ? a
                        : e.Ancestors<Paragraph>().FirstOrDefault() is { } p ? DocxText.Paragraph(p) : "";
                    changes.Add(new MarkupChange(++ordinal, SowChangeKind.Comment, id, comment.Author?.Value, Date(comment),
                        Cut(text, MaxText), Cut(context, MaxContext)));
                }
            }
            if (renumbered) main.Document.Save();
        }
        return (renumbered ? ms.ToArray() : docx, changes);
    }

    /// Applies one decision and returns the next version's bytes, or null when the change is not in the document.
    /// Accepting keeps an insertion and removes a deletion; rejecting does the opposite. A comment, accepted
    /// (addressed) or rejected (declined), is removed from the next version; the decision itself is kept on record.
    public static byte[]? Apply(byte[] docx, string kind, string wordId, bool accept)
    {
        using var ms = new MemoryStream();
        ms.Write(docx);
        using (var doc = WordprocessingDocument.Open(ms, true))
        {
            var main = doc.MainDocumentPart!;
            var body = main.Document.Body!;
            if (kind == SowChangeKind.Comment)
            {
                if (!RemoveComment(main, body, wordId)) return null;
            }
            else
            {
                var element = Revisions(body).FirstOrDefault(r =>
                    string.Equals(r.GetAttribute("id", W).Value, wordId, StringComparison.Ordinal)
                    && (kind == SowChangeKind.Insertion ? r is InsertedRun or MoveToRun : r is DeletedRun or MoveFromRun));
                if (element is null) return null;
                var paragraph = element.Ancestors<Paragraph>().FirstOrDefault();
                var insertion = element is InsertedRun or MoveToRun;
                var keep = insertion == accept;
                if (keep) Unwrap(element, restoreDeleted: !insertion);
                else element.Remove();
                if (paragraph is not null) SettleParagraphMark(paragraph, insertion, accept);
            }
            main.Document.Save();
        }
        return ms.ToArray();
    }

    internal const string W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    private static IEnumerable<OpenXmlElement> Revisions(Body body) =>
        body.Descendants().Where(e => e is InsertedRun or DeletedRun or MoveFromRun or MoveToRun);

    private static string? Author(OpenXmlElement e) => e.GetAttribute("author", W).Value;

    private static DateTimeOffset? Date(OpenXmlElement e)
    {
        var raw = e.GetAttribute("date", W).Value;
        if (string.IsNullOrEmpty(raw)) return null;
        // Word writes local time without an offset more often than not; read that as UTC.
        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d) ? d : null;
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static Dictionary<string, string> CommentAnchors(Body body)
    {
        var open = new Dictionary<string, System.Text.StringBuilder>(StringComparer.Ordinal);
        var done = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in body.Descendants())
        {
            switch (e)
            {
                case CommentRangeStart s when s.Id?.Value is { } id:
                    open[id] = new System.Text.StringBuilder();
                    break;
                case CommentRangeEnd end when end.Id?.Value is { } id && open.Remove(id, out var sb):
                    done[id] = sb.ToString().Trim();
                    break;
                case Text t:
                    foreach (var sb in open.Values) sb.Append(t.Text);
                    break;
            }
        }
        return done;
    }

    private static void Unwrap(OpenXmlElement element, bool restoreDeleted)
    {
        if (restoreDeleted)
        {
            foreach (var d in element.Descendants<DeletedText>().ToList())
            {
                d.InsertBeforeSelf(new Text(d.Text) { Space = SpaceProcessingModeValues.Preserve });
                d.Remove();
            }
            foreach (var d in element.Descendants<DeletedFieldCode>().ToList())
            {
                d.InsertBeforeSelf(new FieldCode(d.Text) { Space = SpaceProcessingModeValues.Preserve });
                d.Remove();
            }
        }
        foreach (var child in element.ChildElements.ToList())
        {
            child.Remove();
            element.InsertBeforeSelf(child);
        }
        element.Remove();
    }

    /// Word marks a whole inserted or deleted paragraph on its paragraph mark too. Once the paragraph has no
    /// tracked runs left, settle the mark the same way: drop the paragraph when its text is gone for good,
    /// otherwise drop the mark.
    private static void SettleParagraphMark(Paragraph paragraph, bool insertion, bool accept)
    {
        if (paragraph.Descendants().Any(e => e is InsertedRun or DeletedRun or MoveFromRun or MoveToRun)) return;
        var markProps = paragraph.ParagraphProperties?.ParagraphMarkRunProperties;
        if (markProps is null) return;
        OpenXmlElement? mark = insertion ? markProps.GetFirstChild<Inserted>() : markProps.GetFirstChild<Deleted>();
        if (mark is null) return;
        var removesParagraph = insertion ? !accept : accept;
        var empty = !paragraph.Descendants<Text>().Any(t => t.Text.Length > 0);
        if (removesParagraph && empty && paragraph.Parent is Body body && body.Elements<Paragraph>().Count() > 1)
        {
            paragraph.Remove();
        }
        else
        {
            mark.Remove();
        }
    }

    private static bool RemoveComment(MainDocumentPart main, Body body, string id)
    {
        var comments = main.WordprocessingCommentsPart?.Comments;
        var comment = comments?.Elements<Comment>().FirstOrDefault(c => c.Id?.Value == id);
        if (comment is null) return false;
        comment.Remove();
        comments!.Save();
        foreach (var e in body.Descendants<CommentRangeStart>().Where(c => c.Id?.Value == id).ToList()) e.Remove();
        foreach (var e in body.Descendants<CommentRangeEnd>().Where(c => c.Id?.Value == id).ToList()) e.Remove();
        foreach (var r in body.Descendants<CommentReference>().Where(c => c.Id?.Value == id).ToList())
        {
            if (r.Parent is Run run && run.ChildElements.All(c => c is CommentReference or RunProperties)) run.Remove();
            else r.Remove();
        }
        return true;
    }
}

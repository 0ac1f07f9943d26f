using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ProServ.Tests.Documents;

/// Builds Word documents in code: plain ones, templates with merge fields, a customer's mark-up of a generated
/// SOW (tracked insertions and deletions, comments, each with author and date), and hostile archives.
internal static class TestDocx
{
    public static byte[] Simple(params string[] paragraphs) => Build(body =>
    {
        foreach (var p in paragraphs) body.AppendChild(new Paragraph(new Run(new Text(p) { Space = SpaceProcessingModeValues.Preserve })));
    });

    /// A template whose merge fields are the given names, half as simple fields and half as complex ones.
    public static byte[] Template(params string[] fields) => Build(body =>
    {
        body.AppendChild(new Paragraph(new Run(new Text("Our SOW"))));
        var i = 0;
        foreach (var f in fields)
        {
            body.AppendChild(i++ % 2 == 0
                ? new Paragraph(new Run(new Text(f + ": ") { Space = SpaceProcessingModeValues.Preserve }),
                    new SimpleField(new Run(new Text($"«{f}»"))) { Instruction = $" MERGEFIELD {f} " })
                : new Paragraph(
                    new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }),
                    new Run(new FieldCode(" MERGEFIELD ") { Space = SpaceProcessingModeValues.Preserve }),
                    new Run(new FieldCode($"{f} \\* MERGEFORMAT ") { Space = SpaceProcessingModeValues.Preserve }),
                    new Run(new FieldChar { FieldCharType = FieldCharValues.Separate }),
                    new Run(new Text($"«{f}»")),
                    new Run(new FieldChar { FieldCharType = FieldCharValues.End })));
        }
    });

    public static byte[] Build(Action<Body> fill)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            fill(body);
            main.Document = new Document(body);
            main.Document.Save();
        }
        return ms.ToArray();
    }

    public static byte[] MarkUp(byte[] docx, Action<Markup> edit)
    {
        using var ms = new MemoryStream();
        ms.Write(docx);
        using (var doc = WordprocessingDocument.Open(ms, true))
        {
            edit(new Markup(doc));
            doc.MainDocumentPart!.Document.Save();
        }
        return ms.ToArray();
    }

    internal sealed class Markup(WordprocessingDocument doc)
    {
        private int _id = 100;
        private Body Body => doc.MainDocumentPart!.Document.Body!;

        private Paragraph Find(string containing) =>
            Body.Descendants<Paragraph>().First(p => string.Concat(p.Descendants<Text>().Select(t => t.Text)).Contains(containing, StringComparison.Ordinal));

        private static string D(DateTime date) => date.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        /// A tracked insertion at the end of the paragraph that contains <paramref name="paragraph"/>.
        public Markup Insert(string paragraph, string text, string author, DateTime date)
        {
            Find(paragraph).AppendChild(new InsertedRun(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }))
            {
                Id = (_id++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Author = author,
                Date = date,
            });
            return this;
        }

        /// A whole new paragraph, tracked as inserted, after the one that contains <paramref name="after"/>.
        public Markup InsertParagraph(string after, string text, string author, DateTime date)
        {
            var id = (_id++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var p = new Paragraph(
                new ParagraphProperties(new ParagraphMarkRunProperties(new Inserted { Id = id + "0", Author = author, Date = date })),
                new InsertedRun(new Run(new Text(text))) { Id = id, Author = author, Date = date });
            Find(after).InsertAfterSelf(p);
            return this;
        }

        /// Tracks the deletion of <paramref name="text"/>, which must lie inside one run of the paragraph.
        public Markup Delete(string text, string author, DateTime date)
        {
            var t = Body.Descendants<Text>().First(x => x.Text.Contains(text, StringComparison.Ordinal));
            var run = (Run)t.Parent!;
            var at = t.Text.IndexOf(text, StringComparison.Ordinal);
            var before = t.Text[..at];
            var after = t.Text[(at + text.Length)..];
            Run Piece(OpenXmlElement content)
            {
                var r = new Run();
                if (run.RunProperties?.CloneNode(true) is RunProperties rp) r.AppendChild(rp);
                r.AppendChild(content);
                return r;
            }
            if (before.Length > 0) run.InsertBeforeSelf(Piece(new Text(before) { Space = SpaceProcessingModeValues.Preserve }));
            run.InsertBeforeSelf(new DeletedRun(Piece(new DeletedText(text) { Space = SpaceProcessingModeValues.Preserve }))
            {
                Id = (_id++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Author = author,
                Date = date,
            });
            if (after.Length > 0) run.InsertBeforeSelf(Piece(new Text(after) { Space = SpaceProcessingModeValues.Preserve }));
            run.Remove();
            return this;
        }

        /// A comment anchored on the whole paragraph that contains <paramref name="paragraph"/>.
        public Markup Comment(string paragraph, string text, string author, DateTime date)
        {
            var main = doc.MainDocumentPart!;
            var part = main.WordprocessingCommentsPart ?? main.AddNewPart<WordprocessingCommentsPart>();
            part.Comments ??= new Comments();
            var id = (_id++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            part.Comments.AppendChild(new Comment(new Paragraph(new Run(new Text(text)))) { Id = id, Author = author, Date = date, Initials = "X" });
            part.Comments.Save();
            var p = Find(paragraph);
            var first = p.Elements().FirstOrDefault(e => e is not ParagraphProperties);
            if (first is null) p.AppendChild(new CommentRangeStart { Id = id });
            else first.InsertBeforeSelf(new CommentRangeStart { Id = id });
            p.AppendChild(new CommentRangeEnd { Id = id });
            p.AppendChild(new Run(new CommentReference { Id = id }));
            return this;
        }
    }

    /// A ZIP that looks like a DOCX but whose one big entry decompresses to <paramref name="megabytes"/> MB of zeros.
    public static byte[] ZipBomb(int megabytes = 64)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var w = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open()))
            {
                w.Write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            }
            using var s = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < megabytes; i++) s.Write(zeros);
        }
        return ms.ToArray();
    }

    /// A small ZIP with very many entries.
    public static byte[] ManyEntries(int count)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < count; i++) zip.CreateEntry($"e{i}.xml", CompressionLevel.NoCompression);
        }
        return ms.ToArray();
    }

    public static IReadOnlyList<string> Lines(byte[] docx) => ProServ.Core.Features.SowDocuments.DocxText.Lines(docx);
}

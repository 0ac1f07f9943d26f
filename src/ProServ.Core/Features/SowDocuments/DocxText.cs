using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ProServ.Core.Features.SowDocuments;

/// The document as lines of text for comparing versions: one line per paragraph and per table row, tracked
/// insertions shown as {+text+} and tracked deletions as [-text-], so a decision shows up in the comparison.
public static class DocxText
{
    public static IReadOnlyList<string> Lines(byte[] docx)
    {
        using var ms = new MemoryStream(docx, writable: false);
        using var doc = WordprocessingDocument.Open(ms, false);
        var lines = new List<string>();
        Blocks(doc.MainDocumentPart!.Document.Body!, lines);
        return lines;
    }

    private static void Blocks(OpenXmlElement container, List<string> lines)
    {
        foreach (var e in container.ChildElements)
        {
            switch (e)
            {
                case Paragraph p:
                    var text = Paragraph(p).Trim();
                    if (text.Length > 0) lines.Add(text);
                    break;
                case Table t:
                    foreach (var row in t.Elements<TableRow>())
                    {
                        var cells = row.Elements<TableCell>().Select(c => string.Join(" ", c.Elements<Paragraph>().Select(Paragraph)).Trim());
                        var line = "| " + string.Join(" | ", cells) + " |";
                        lines.Add(line);
                    }
                    break;
                case SdtBlock sdt when sdt.SdtContentBlock is { } content:
                    Blocks(content, lines);
                    break;
            }
        }
    }

    public static string Paragraph(OpenXmlElement paragraph)
    {
        var sb = new StringBuilder();
        Walk(paragraph, sb);
        return sb.ToString();
    }

    private static void Walk(OpenXmlElement e, StringBuilder sb)
    {
        switch (e)
        {
            case InsertedRun or MoveToRun:
                sb.Append("{+");
                foreach (var c in e.ChildElements) Walk(c, sb);
                sb.Append("+}");
                return;
            case DeletedRun or MoveFromRun:
                sb.Append("[-");
                foreach (var c in e.ChildElements) Walk(c, sb);
                sb.Append("-]");
                return;
            case Text t:
                sb.Append(t.Text);
                return;
            case DeletedText d:
                sb.Append(d.Text);
                return;
            case TabChar:
                sb.Append('\t');
                return;
            case Break or CarriageReturn:
                sb.Append(' ');
                return;
            case ParagraphProperties or RunProperties or FieldCode or DeletedFieldCode:
                return;
        }
        foreach (var c in e.ChildElements) Walk(c, sb);
    }
}

public sealed record DiffLine(string Op, string Text);

/// A line diff by longest common subsequence after trimming the common head and tail. SOWs are a few hundred
/// lines, so the quadratic table stays small; beyond the cap the middle is shown as removed and added.
public static class ParagraphDiff
{
    public const string Same = "same";
    public const string Added = "added";
    public const string Removed = "removed";
    private const long MaxCells = 4_000_000;

    public static IReadOnlyList<DiffLine> Compare(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var head = 0;
        while (head < before.Count && head < after.Count && string.Equals(before[head], after[head], StringComparison.Ordinal)) head++;
        var tail = 0;
        while (tail < before.Count - head && tail < after.Count - head
               && string.Equals(before[before.Count - 1 - tail], after[after.Count - 1 - tail], StringComparison.Ordinal)) tail++;

        var result = new List<DiffLine>();
        for (var i = 0; i < head; i++) result.Add(new DiffLine(Same, before[i]));
        var a = before.Skip(head).Take(before.Count - head - tail).ToList();
        var b = after.Skip(head).Take(after.Count - head - tail).ToList();
        if ((long)a.Count * b.Count > MaxCells)
        {
            result.AddRange(a.Select(x => new DiffLine(Removed, x)));
            result.AddRange(b.Select(x => new DiffLine(Added, x)));
        }
        else
        {
            // lcs[i, j] = length of the LCS of a[i..] and b[j..]
            var lcs = new int[a.Count + 1, b.Count + 1];
            for (var i = a.Count - 1; i >= 0; i--)
                for (var j = b.Count - 1; j >= 0; j--)
                    lcs[i, j] = string.Equals(a[i], b[j], StringComparison.Ordinal) ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            int x = 0, y = 0;
            while (x < a.Count && y < b.Count)
            {
                if (string.Equals(a[x], b[y], StringComparison.Ordinal)) { result.Add(new DiffLine(Same, a[x])); x++; y++; }
                else if (lcs[x + 1, y] >= lcs[x, y + 1]) result.Add(new DiffLine(Removed, a[x++]));
                else result.Add(new DiffLine(Added, b[y++]));
            }
            while (x < a.Count) result.Add(new DiffLine(Removed, a[x++]));
            while (y < b.Count) result.Add(new DiffLine(Added, b[y++]));
        }
        for (var i = before.Count - tail; i < before.Count; i++) result.Add(new DiffLine(Same, before[i]));
        return result;
    }
}

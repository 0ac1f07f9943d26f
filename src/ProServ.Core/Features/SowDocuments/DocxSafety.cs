using System.IO.Compression;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using ProServ.Core.Common;

namespace ProServ.Core.Features.SowDocuments;

/// Checks an uploaded file before anything else opens it: that it is small enough, that it is a ZIP that
/// decompresses to a bounded size (no zip bomb), and that it is a Word document. Every refusal is a 4xx.
public static class DocxSafety
{
    public const string TooLargeRule = "upload-size-limit";
    public const string ZipBombRule = "upload-zip-bomb";
    public const string NotDocxRule = "upload-not-docx";

    public static void EnsureSafeDocx(byte[] bytes, SowDocumentOptions limits)
    {
        if (bytes.Length == 0)
        {
            throw new RuleViolationException(NotDocxRule, "The file is empty; upload a Word document (.docx).");
        }
        if (bytes.Length > limits.MaxUploadBytes)
        {
            throw TooLarge(limits);
        }
        // Every DOCX is a ZIP: "PK\x03\x04".
        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K' || bytes[2] != 3 || bytes[3] != 4)
        {
            throw NotDocx("it is not a ZIP package");
        }
        CheckArchive(bytes, limits);
        try
        {
            using var ms = new MemoryStream(bytes, writable: false);
            using var doc = WordprocessingDocument.Open(ms, false, new OpenSettings { MaxCharactersInPart = limits.MaxUncompressedBytes });
            if (doc.DocumentType != WordprocessingDocumentType.Document)
            {
                throw NotDocx("it is a Word template or a macro-enabled document, not a plain .docx");
            }
            if (doc.MainDocumentPart?.Document?.Body is null)
            {
                throw NotDocx("it has no document body");
            }
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or XmlException or FileFormatException
                                      or InvalidOperationException or ArgumentException)
        {
            throw NotDocx("Word could not read it (" + e.GetType().Name + ")");
        }
    }

    public static RuleViolationException TooLarge(SowDocumentOptions limits) => new(TooLargeRule,
        $"The file is larger than the limit of {limits.MaxUploadBytes / (1024 * 1024.0):0.#} MB; upload a smaller document.", 413);

    private static RuleViolationException NotDocx(string why) =>
        new(NotDocxRule, $"The file is not a Word document (.docx): {why}. Save it from Word or LibreOffice as .docx and upload it again.");

    /// Reads the ZIP directory first (entry count, declared sizes and ratios), then decompresses every entry
    /// with a running budget, because the directory's sizes can lie.
    private static void CheckArchive(byte[] bytes, SowDocumentOptions limits)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            throw NotDocx("its ZIP structure is damaged");
        }
        using (zip)
        {
            if (zip.Entries.Count > limits.MaxZipEntries)
            {
                throw Bomb($"it holds {zip.Entries.Count} entries (the limit is {limits.MaxZipEntries})");
            }
            long declared = 0;
            foreach (var e in zip.Entries)
            {
                declared += e.Length;
                if (declared > limits.MaxUncompressedBytes)
                {
                    throw Bomb($"it would decompress to more than {limits.MaxUncompressedBytes / (1024 * 1024)} MB");
                }
                if (e.Length > 1024 * 1024 && e.Length > (long)limits.MaxCompressionRatio * Math.Max(1, e.CompressedLength))
                {
                    throw Bomb($"the entry '{e.FullName}' is compressed more than {limits.MaxCompressionRatio}:1");
                }
            }
            if (zip.GetEntry("[Content_Types].xml") is null)
            {
                throw NotDocx("it is a ZIP file but not an Office document");
            }
            var buffer = new byte[81920];
            long total = 0;
            try
            {
                foreach (var e in zip.Entries)
                {
                    using var s = e.Open();
                    int n;
                    while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        total += n;
                        if (total > limits.MaxUncompressedBytes)
                        {
                            throw Bomb($"it decompresses to more than {limits.MaxUncompressedBytes / (1024 * 1024)} MB");
                        }
                    }
                }
            }
            catch (InvalidDataException)
            {
                throw NotDocx("an entry of its ZIP is damaged");
            }
        }
    }

    private static RuleViolationException Bomb(string why) =>
        new(ZipBombRule, $"The file was refused as a possible zip bomb: {why}. A Word document is never compressed like that.");
}

namespace ProServ.Core.Features.SowDocuments;

/// Configuration section "Documents". Every upload is bounded by these before it is opened.
public sealed class SowDocumentOptions
{
    public const string Section = "Documents";

    /// The largest DOCX accepted (bytes); the endpoint refuses bigger requests with 413.
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// Zip-bomb guards, checked on the archive's directory and again while decompressing.
    public int MaxZipEntries { get; set; } = 1000;
    public long MaxUncompressedBytes { get; set; } = 100 * 1024 * 1024;
    public int MaxCompressionRatio { get; set; } = 100;

    /// Path to LibreOffice's soffice; found on PATH when empty.
    public string? SofficePath { get; set; }
    public int PdfTimeoutSeconds { get; set; } = 90;

    /// The terms printed into the «Terms» merge field, one paragraph per line.
    public string Terms { get; set; } = SowContentBuilder.DefaultTerms;
}

using Microsoft.AspNetCore.Mvc;
using ProServ.Core.Common;
using ProServ.Core.Features.SowDocuments;

namespace ProServ.Web.Pages.SowDocuments;

/// Shared by the SOW document pages: files are answered with the same headers as the API, and uploads are read
/// with the same bound as the API.
public abstract class SowDocumentPageModel : ProServPageModel
{
    protected IActionResult AsFile(SowFile file)
    {
        Response.Headers.CacheControl = "private, no-store";
        if (file.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
            return File(file.Content, file.ContentType);
        }
        return File(file.Content, file.ContentType, file.FileName);
    }

    /// The uploaded file's bytes, refused when missing or over the limit before it is read.
    protected static async Task<(string Name, byte[] Bytes)> ReadAsync(IFormFile? file, SowDocumentOptions limits, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["file"] = ["Choose a .docx file to upload."],
            });
        }
        if (file.Length > limits.MaxUploadBytes)
        {
            throw DocxSafety.TooLarge(limits);
        }
        var bytes = new byte[file.Length];
        await using (var s = file.OpenReadStream())
        {
            await s.ReadExactlyAsync(bytes, ct);
        }
        return (file.FileName, bytes);
    }
}

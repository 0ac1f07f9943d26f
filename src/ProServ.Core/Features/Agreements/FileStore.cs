using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ProServ.Core.Common;
using ProServ.Core.Features.SowDocuments;

namespace ProServ.Core.Features.Agreements;

public sealed class FileStorageOptions
{
    /// Where uploaded files live: outside the web root, e.g. App_Data/files under the content root (Storage:DataDirectory).
    public string DataDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "App_Data", "files");

    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;
}

/// An uploaded file as the host received it.
public sealed record FileUpload(string FileName, Stream Content);

/// Keeps uploaded agreement and P.O. files on disk. The type is decided from the file's first bytes, never from the
/// name or the client's content type; the size is counted while copying so an oversized upload never lands.
/// A ZIP must pass the same archive checks as a SOW mark-up (DocxSafety: no zip bomb, not damaged, a real Word
/// document), and a PDF must end like one, so a renamed or truncated file is refused before it is kept.
public sealed class FileStore(IOptions<FileStorageOptions> options, IOptions<SowDocumentOptions> documents)
{
    private static readonly (string Type, string Extension, byte[] Magic)[] Signatures =
    [
        ("application/pdf", ".pdf", "%PDF-"u8.ToArray()),
        ("image/png", ".png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/jpeg", ".jpg", [0xFF, 0xD8, 0xFF]),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", [0x50, 0x4B, 0x03, 0x04]),
    ];

    public long MaxBytes => options.Value.MaxUploadBytes;

    public string Describe() => $"a PDF, DOCX, PNG or JPEG file of at most {MaxBytes / (1024 * 1024)} MB";

    /// Stores the upload under the folder; refuses (422 on "file") a file that is empty, too large or of another type.
    public async Task<StoredFile> SaveAsync(string folder, FileUpload upload, CancellationToken ct)
    {
        var root = Path.GetFullPath(options.Value.DataDirectory);
        var relative = Path.Combine(folder, Guid.NewGuid().ToString("n"));
        var target = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = target + ".part";
        long length = 0;
        var head = new byte[8];
        var headLength = 0;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await upload.Content.ReadAsync(buffer, ct)) > 0)
                {
                    length += read;
                    if (length > MaxBytes)
                    {
                        throw Invalid($"The file is larger than {MaxBytes / (1024 * 1024)} MB; upload {Describe()}.");
                    }
                    var take = Math.Min(read, head.Length - headLength);
                    if (take > 0)
                    {
                        Array.Copy(buffer, 0, head, headLength, take);
                        headLength += take;
                    }
                    sha.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            if (length == 0)
            {
                throw Invalid($"The file is empty; upload {Describe()}.");
            }
            var sig = Signatures.FirstOrDefault(s => headLength >= s.Magic.Length && head.AsSpan(0, s.Magic.Length).SequenceEqual(s.Magic));
            var ext = Path.GetExtension(upload.FileName).ToLowerInvariant();
            // A zip is acceptable only as a Word document.
            if (sig.Type is null || (sig.Extension == ".docx" && ext != ".docx"))
            {
                throw Invalid($"This is not an accepted file type; upload {Describe()}.");
            }
            if (sig.Extension == ".docx")
            {
                // Bounded by MaxBytes above, so reading it whole is as cheap as the mark-up upload's check.
                DocxSafety.EnsureSafeDocx(await File.ReadAllBytesAsync(temp, ct), DocxLimits());
            }
            else if (sig.Extension == ".pdf" && !await EndsLikePdfAsync(temp, ct))
            {
                throw Invalid($"The PDF is incomplete (it has no end-of-file marker); upload the whole file, {Describe()}.");
            }
            File.Move(temp, target);
            return new StoredFile
            {
                FileName = SafeName(upload.FileName, sig.Extension),
                ContentType = sig.Type,
                Length = length,
                Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset()),
                StoragePath = relative.Replace('\\', '/'),
            };
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private SowDocumentOptions DocxLimits()
    {
        var d = documents.Value;
        return new SowDocumentOptions
        {
            MaxUploadBytes = MaxBytes,
            MaxZipEntries = d.MaxZipEntries,
            MaxUncompressedBytes = d.MaxUncompressedBytes,
            MaxCompressionRatio = d.MaxCompressionRatio,
        };
    }

    /// A whole PDF ends with "%%EOF"; readers tolerate up to 1 KB of trailing bytes after it, and so does this.
    private static async Task<bool> EndsLikePdfAsync(string path, CancellationToken ct)
    {
        await using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var tail = new byte[(int)Math.Min(1024, f.Length)];
        f.Seek(-tail.Length, SeekOrigin.End);
        await f.ReadExactlyAsync(tail, ct);
        return tail.AsSpan().IndexOf("%%EOF"u8) >= 0;
    }

    public Stream OpenRead(StoredFile file)
    {
        var root = Path.GetFullPath(options.Value.DataDirectory);
        var path = Path.GetFullPath(Path.Combine(root, file.StoragePath));
        if (!path.StartsWith(root, StringComparison.Ordinal) || !File.Exists(path))
        {
            throw new NotFoundException("File");
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
    }

    public void Delete(StoredFile? file)
    {
        if (file is null) return;
        var path = Path.GetFullPath(Path.Combine(Path.GetFullPath(options.Value.DataDirectory), file.StoragePath));
        try { File.Delete(path); } catch (IOException) { }
    }

    private static ValidationFailedException Invalid(string message) =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["file"] = [message] });

    private static string SafeName(string name, string extension)
    {
        var baseName = Path.GetFileNameWithoutExtension(Path.GetFileName(name.Replace('\\', '/')));
        var clean = new string(baseName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or ' ' ? c : '_').ToArray()).Trim();
        if (clean.Length == 0) clean = "file";
        if (clean.Length > 200) clean = clean[..200];
        return clean + extension;
    }
}

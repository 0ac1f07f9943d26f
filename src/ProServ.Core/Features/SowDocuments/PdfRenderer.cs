using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProServ.Core.Common;

namespace ProServ.Core.Features.SowDocuments;

/// Turns a DOCX into a PDF. The default uses LibreOffice headless; tests or other hosts may register another.
public interface IPdfRenderer
{
    /// Null when no renderer is installed.
    string? Unavailable { get; }

    Task<byte[]> RenderAsync(byte[] docx, CancellationToken ct);
}

/// `soffice --headless --convert-to pdf` with a private profile (never the user's, never shared by two running
/// conversions), a timeout that kills the whole process tree, and at most two conversions at once. Profiles are
/// reused by later conversions because creating one costs LibreOffice several seconds; one that timed out or
/// failed is thrown away.
public sealed class SofficePdfRenderer(IOptions<SowDocumentOptions> options, ILogger<SofficePdfRenderer> logger) : IPdfRenderer
{
    public const string MissingRule = "pdf-renderer-missing";
    private static readonly SemaphoreSlim Gate = new(2, 2);
    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Profiles = [];

    public string? SofficePath => Find(options.Value.SofficePath);

    public string? Unavailable => SofficePath is null
        ? "PDF output needs LibreOffice, which is not installed on this server: install it with 'apt-get install libreoffice-writer-nogui' (or set Documents:SofficePath to the soffice program) and try again. The DOCX and HTML formats work without it."
        : null;

    public static string? Find(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? configured : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "soffice");
            if (File.Exists(candidate)) return candidate;
        }
        return File.Exists("/usr/lib/libreoffice/program/soffice") ? "/usr/lib/libreoffice/program/soffice" : null;
    }

    public async Task<byte[]> RenderAsync(byte[] docx, CancellationToken ct)
    {
        var soffice = SofficePath ?? throw new RuleViolationException(MissingRule, Unavailable!, 503);
        await Gate.WaitAsync(ct);
        var work = Path.Combine(Path.GetTempPath(), "proserv-pdf-" + Guid.NewGuid().ToString("n"));
        if (!Profiles.TryTake(out var profile))
        {
            profile = Path.Combine(Path.GetTempPath(), "proserv-soffice-profile-" + Guid.NewGuid().ToString("n"));
        }
        var healthy = false;
        try
        {
            Directory.CreateDirectory(work);
            Directory.CreateDirectory(profile);
            var input = Path.Combine(work, "sow.docx");
            await File.WriteAllBytesAsync(input, docx, ct);
            var psi = new ProcessStartInfo(soffice)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = work,
            };
            foreach (var a in new[] { "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                         "-env:UserInstallation=" + new Uri(profile + "/").AbsoluteUri, "--convert-to", "pdf", "--outdir", work, input })
            {
                psi.ArgumentList.Add(a);
            }
            psi.Environment["HOME"] = work;
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("soffice did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(5, options.Value.PdfTimeoutSeconds)));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (ct.IsCancellationRequested) throw;
                throw new RuleViolationException("pdf-render-timeout",
                    $"LibreOffice did not finish converting the document within {options.Value.PdfTimeoutSeconds} seconds; try again, or download the DOCX.", 503);
            }
            var output = Path.Combine(work, "sow.pdf");
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                logger.LogError("soffice exited with {Code}: {Out} {Err}", process.ExitCode, await stdout, await stderr);
                throw new RuleViolationException("pdf-render-failed",
                    "LibreOffice could not convert the document to PDF; download the DOCX instead, and tell an administrator.", 502);
            }
            var pdf = await File.ReadAllBytesAsync(output, ct);
            healthy = true;
            return pdf;
        }
        finally
        {
            if (healthy) Profiles.Add(profile);
            else Delete(profile);
            Gate.Release();
            Delete(work);
        }
    }

    private static void Delete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

using System.Security.Cryptography;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.SowDocuments;

public sealed record SowDocumentTemplateDto(Guid? Id, int? Number, string FileName, long Size, string Sha256,
    IReadOnlyList<string> Fields, string? Note, DateTimeOffset? UploadedAt, string UploadedBy, bool IsCurrent, bool IsBuiltIn);

public sealed record SowFile(byte[] Content, string FileName, string ContentType);

/// The administrator's SOW template, versioned. Until one is uploaded, the built-in template is used.
public sealed class SowTemplateService(ProServDbContext db, AuditWriter audit, TimeProvider clock, IOptions<SowDocumentOptions> options)
{
    public const string MissingFieldsRule = "sow-template-merge-fields";
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// Every uploaded version, newest first, then the built-in one.
    public async Task<IReadOnlyList<SowDocumentTemplateDto>> ListAsync(Actor actor, CancellationToken ct)
    {
        EnsureStaff(actor);
        var rows = await db.Set<SowTemplate>().AsNoTracking().OrderByDescending(t => t.Number)
            .Select(t => new { t.Id, t.Number, t.FileName, t.Size, t.Sha256, t.Fields, t.Note, t.UploadedAt, t.UploadedByName })
            .ToListAsync(ct);
        var list = rows.Select((t, i) => new SowDocumentTemplateDto(t.Id, t.Number, t.FileName, t.Size, t.Sha256,
            t.Fields.Split(',', StringSplitOptions.RemoveEmptyEntries), t.Note, t.UploadedAt, t.UploadedByName, i == 0, false)).ToList();
        list.Add(BuiltIn(isCurrent: rows.Count == 0));
        return list;
    }

    /// The template generation uses now: the newest upload, or the built-in one.
    public async Task<(byte[] Content, int? Number)> CurrentAsync(CancellationToken ct)
    {
        var latest = await db.Set<SowTemplate>().AsNoTracking().OrderByDescending(t => t.Number)
            .Select(t => new { t.Content, t.Number }).FirstOrDefaultAsync(ct);
        return latest is null ? (DefaultSowTemplate.Bytes, null) : (latest.Content, latest.Number);
    }

    /// A template file: an uploaded version by number, or the built-in one when number is null.
    public async Task<SowFile> FileAsync(Actor actor, int? number, CancellationToken ct)
    {
        EnsureStaff(actor);
        if (number is null)
        {
            return new SowFile(DefaultSowTemplate.Bytes, DefaultSowTemplate.FileName, DocxType);
        }
        var t = await db.Set<SowTemplate>().AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ct)
            ?? throw new NotFoundException("Template version");
        return new SowFile(t.Content, $"sow-template-v{t.Number}.docx", DocxType);
    }

    /// Stores a new template version after checking the file is a safe DOCX that has every required merge field.
    public async Task<SowDocumentTemplateDto> UploadAsync(Actor actor, string? fileName, byte[] content, string? note, CancellationToken ct)
    {
        if (!actor.IsAdministrator)
        {
            throw new ForbiddenException("Only administrators manage the SOW template.");
        }
        var errors = new ValidationErrors();
        errors.Require(note is null || note.Length <= 1000, "note", "The note is longer than 1000 characters.");
        errors.ThrowIfAny();
        DocxSafety.EnsureSafeDocx(content, options.Value);
        IReadOnlySet<string> fields;
        using (var ms = new MemoryStream(content, writable: false))
        using (var doc = WordprocessingDocument.Open(ms, false))
        {
            fields = SowMergeFields.Find(doc);
        }
        var missing = SowMergeFields.Missing(fields);
        if (missing.Count > 0)
        {
            throw new RuleViolationException(MissingFieldsRule,
                $"The template lacks the required merge field{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}; " +
                "insert each as a MERGEFIELD (in Word: Insert › Quick Parts › Field › MergeField) and upload it again.");
        }

        var number = (await db.Set<SowTemplate>().MaxAsync(t => (int?)t.Number, ct) ?? 0) + 1;
        var known = SowMergeFields.All.Where(fields.Contains).ToList();
        var template = new SowTemplate
        {
            Id = Guid.NewGuid(),
            Number = number,
            FileName = SafeFileName(fileName, "sow-template.docx"),
            Content = content,
            Size = content.Length,
            Sha256 = Sha256(content),
            Fields = string.Join(",", known),
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            UploadedAt = clock.GetUtcNow(),
            UploadedById = actor.UserId,
            UploadedByName = actor.Name,
        };
        db.Add(template);
        audit.Record(actor, "sow-template", template.Id, "sow-template.uploaded", template.Note,
            new { template.Number, template.FileName, template.Size, template.Sha256, fields = known });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException("Uploaded at the same time", "Another template version was uploaded at the same moment; upload yours again.");
        }
        return new SowDocumentTemplateDto(template.Id, number, template.FileName, template.Size, template.Sha256, known, template.Note,
            template.UploadedAt, template.UploadedByName, true, false);
    }

    private static SowDocumentTemplateDto BuiltIn(bool isCurrent) => new(null, null, DefaultSowTemplate.FileName, DefaultSowTemplate.Bytes.Length,
        Sha256(DefaultSowTemplate.Bytes), SowMergeFields.All, "Built into ProServ", null, "ProServ", isCurrent, true);

    private static void EnsureStaff(Actor actor)
    {
        if (!actor.IsStaff) throw new NotFoundException("Template");
    }

    internal static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    internal static string SafeFileName(string? name, string fallback)
    {
        var n = Path.GetFileName((name ?? "").Replace('\\', '/'));
        n = new string(n.Where(c => !char.IsControl(c) && c is not ('"' or '/' or ':')).ToArray()).Trim();
        if (n.Length == 0) return fallback;
        return n.Length <= 200 ? n : n[^200..];
    }
}

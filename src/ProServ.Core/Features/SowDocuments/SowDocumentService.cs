using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.SowDocuments;

public sealed record SowVersionDto(Guid Id, int Number, string Kind, string FileName, long Size, string Sha256,
    int? TemplateNumber, string? Note, DateTimeOffset CreatedAt, string CreatedBy, int PendingChanges);

public sealed record SowChangeDto(Guid Id, int VersionNumber, int Ordinal, string Kind, string? Author, DateTimeOffset? Date,
    string Text, string Context, string Status, DateTimeOffset? DecidedAt, string? DecidedBy, string? Reason, int? ResultVersionNumber);

public sealed record SowMarkupResult(SowVersionDto Version, IReadOnlyList<SowChangeDto> Changes);

public sealed record SowDecisionResult(SowChangeDto Change, SowVersionDto Version);

public sealed record SowComparison(int? FromNumber, int ToNumber, int Added, int Removed, IReadOnlyList<DiffLine> Lines);

public static class SowFormat
{
    public const string Docx = "docx";
    public const string Html = "html";
    public const string Pdf = "pdf";
    public static IReadOnlyList<string> All { get; } = [Docx, Html, Pdf];
}

/// The SOW document of an engagement: generated from the template, marked up by the customer, decided change by
/// change. Every version is kept. Customer contacts see only their own customer's engagements (404 otherwise).
public sealed class SowDocumentService(
    ProServDbContext db,
    AuditWriter audit,
    TimeProvider clock,
    SowContentBuilder contentBuilder,
    SowTemplateService templates,
    IPdfRenderer pdf,
    IOptions<SowDocumentOptions> options)
{
    public const string ChangeGoneRule = "sow-change-not-in-latest-version";

    public Task<SowContent> ContentAsync(Actor actor, Guid engagementId, CancellationToken ct) =>
        contentBuilder.BuildAsync(actor, engagementId, ct);

    /// The SOW in a format: a stored version when <paramref name="version"/> is given, otherwise a fresh draft
    /// generated from the engagement's current data and the current template.
    public async Task<SowFile> RenderAsync(Actor actor, Guid engagementId, string? format, int? version, CancellationToken ct)
    {
        var f = (format ?? SowFormat.Docx).Trim().ToLowerInvariant();
        if (!SowFormat.All.Contains(f))
        {
            throw new ValidationFailedException(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["format"] = [$"The format is one of: {string.Join(", ", SowFormat.All)}."],
            });
        }
        byte[] docx;
        string baseName;
        if (version is { } n)
        {
            var (eid, _) = await EngagementAsync(actor, engagementId, ct);
            var v = await db.Set<SowDocumentVersion>().AsNoTracking().FirstOrDefaultAsync(x => x.EngagementId == eid && x.Number == n, ct)
                ?? throw new NotFoundException("SOW version");
            docx = v.Content;
            baseName = Path.GetFileNameWithoutExtension(v.FileName);
        }
        else
        {
            var generated = await GenerateAsync(actor, engagementId, ct);
            docx = generated.Docx;
            baseName = generated.Content.Reference + "-draft";
        }
        return f switch
        {
            SowFormat.Html => new SowFile(System.Text.Encoding.UTF8.GetBytes(DocxHtml.Page(docx, baseName)), baseName + ".html", "text/html; charset=utf-8"),
            SowFormat.Pdf => new SowFile(await pdf.RenderAsync(docx, ct), baseName + ".pdf", "application/pdf"),
            _ => new SowFile(docx, baseName + ".docx", SowTemplateService.DocxType),
        };
    }

    public async Task<(byte[] Docx, SowContent Content, int? TemplateNumber)> GenerateAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        var content = await contentBuilder.BuildAsync(actor, engagementId, ct);
        var (template, number) = await templates.CurrentAsync(ct);
        return (SowMergeFields.Merge(template, content), content, number);
    }

    /// Generates the SOW from the current data and keeps it as the next version (e.g. before sending it out).
    public async Task<SowVersionDto> CreateVersionAsync(Actor actor, Guid engagementId, string? note, CancellationToken ct)
    {
        EnsureStaff(actor);
        var (eid, customerId) = await EngagementAsync(actor, engagementId, ct);
        var (docx, content, templateNumber) = await GenerateAsync(actor, eid, ct);
        var number = await NextNumberAsync(eid, ct);
        var v = NewVersion(actor, eid, customerId, number, SowVersionKind.Generated, docx, content.Reference, templateNumber,
            string.IsNullOrWhiteSpace(note) ? $"Generated from {(templateNumber is null ? "the built-in template" : $"template v{templateNumber}")}." : note.Trim());
        db.Add(v);
        audit.Record(actor, "engagement", eid, "sow.version-generated", note, new { v.Number, v.Sha256, templateNumber }, customerId);
        await SaveAsync(ct);
        return ToDto(v, 0);
    }

    public async Task<IReadOnlyList<SowVersionDto>> ListVersionsAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        var (eid, _) = await EngagementAsync(actor, engagementId, ct);
        var rows = await db.Set<SowDocumentVersion>().AsNoTracking().Where(v => v.EngagementId == eid).OrderBy(v => v.Number)
            .Select(v => new { v.Id, v.Number, v.Kind, v.FileName, v.Size, v.Sha256, v.TemplateNumber, v.Note, v.CreatedAt, v.CreatedByName })
            .ToListAsync(ct);
        var pending = await db.Set<SowChange>().AsNoTracking()
            .Where(c => c.EngagementId == eid && c.Status == SowChangeStatus.Pending)
            .GroupBy(c => c.VersionNumber).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        // A version's note is the team's (why it was made, what to watch for); the customer gets the document itself.
        return rows.Select(v => new SowVersionDto(v.Id, v.Number, v.Kind, v.FileName, v.Size, v.Sha256, v.TemplateNumber,
            actor.IsStaff ? v.Note : null, v.CreatedAt, v.CreatedByName, pending.FirstOrDefault(p => p.Key == v.Number)?.Count ?? 0)).ToList();
    }

    /// Reads a marked-up DOCX, keeps it as the next version, and lists its tracked changes and comments. When the
    /// engagement has no version yet, the current draft is kept first so the mark-up has something to compare with.
    /// Changes still pending from an earlier mark-up are superseded by the new one.
    public async Task<SowMarkupResult> UploadMarkupAsync(Actor actor, Guid engagementId, string? fileName, byte[] upload, CancellationToken ct)
    {
        var (eid, customerId) = await EngagementAsync(actor, engagementId, ct);
        DocxSafety.EnsureSafeDocx(upload, options.Value);
        byte[] stored;
        IReadOnlyList<MarkupChange> found;
        try
        {
            (stored, found) = DocxMarkup.Read(upload);
        }
        catch (Exception e) when (e is OpenXmlPackageException or XmlException or InvalidDataException or InvalidOperationException or NullReferenceException)
        {
            throw new RuleViolationException(DocxSafety.NotDocxRule,
                "The file is not a Word document that can be reviewed: its main document could not be read. Save it from Word as .docx and upload it again.");
        }

        var number = await NextNumberAsync(eid, ct);
        if (number == 1)
        {
            var (draft, content, templateNumber) = await GenerateAsync(actor, eid, ct);
            db.Add(NewVersion(actor, eid, customerId, 1, SowVersionKind.Generated, draft, content.Reference, templateNumber,
                "Generated as the base of the first mark-up."));
            number = 2;
        }
        var reference = "SOW-" + eid.ToString("n")[..8].ToUpperInvariant();
        var version = NewVersion(actor, eid, customerId, number, SowVersionKind.Markup, stored, reference, null,
            $"Mark-up uploaded as '{SowTemplateService.SafeFileName(fileName, "markup.docx")}' with {found.Count} change{(found.Count == 1 ? "" : "s")}.");
        db.Add(version);

        var superseded = await db.Set<SowChange>().Where(c => c.EngagementId == eid && c.Status == SowChangeStatus.Pending).ToListAsync(ct);
        foreach (var c in superseded)
        {
            c.Status = SowChangeStatus.Superseded;
        }
        var changes = found.Select(c => new SowChange
        {
            Id = Guid.NewGuid(),
            EngagementId = eid,
            CustomerId = customerId,
            VersionId = version.Id,
            VersionNumber = number,
            Ordinal = c.Ordinal,
            Kind = c.Kind,
            WordId = c.WordId,
            Author = c.Author is { Length: > 200 } a ? a[..200] : c.Author,
            Date = c.Date,
            Text = c.Text,
            Context = c.Context,
        }).ToList();
        db.AddRange(changes);
        audit.Record(actor, "engagement", eid, "sow.markup-uploaded", null,
            new { version.Number, version.Sha256, changes = changes.Count, superseded = superseded.Count }, customerId);
        audit.Publish("sow.markup-uploaded", new { engagementId = eid, customerId, version.Number, changes = changes.Count });
        await SaveAsync(ct);
        return new SowMarkupResult(ToDto(version, changes.Count), changes.Select(ToDto).ToList());
    }

    public async Task<IReadOnlyList<SowChangeDto>> ListChangesAsync(Actor actor, Guid engagementId, int? versionNumber, CancellationToken ct)
    {
        var (eid, _) = await EngagementAsync(actor, engagementId, ct);
        var q = db.Set<SowChange>().AsNoTracking().Where(c => c.EngagementId == eid);
        if (versionNumber is { } n) q = q.Where(c => c.VersionNumber == n);
        var list = await q.OrderByDescending(c => c.VersionNumber).ThenBy(c => c.Ordinal).ToListAsync(ct);
        return list.Select(ToDto).ToList();
    }

    /// Accepts or rejects one pending change; the latest version with that decision applied becomes the next version.
    public async Task<SowDecisionResult> DecideAsync(Actor actor, Guid engagementId, Guid changeId, bool accept, string? reason, CancellationToken ct)
    {
        EnsureStaff(actor);
        var (eid, customerId) = await EngagementAsync(actor, engagementId, ct);
        var errors = new ValidationErrors();
        errors.Require(reason is null || reason.Length <= 2000, "reason", "The reason is longer than 2000 characters.");
        errors.ThrowIfAny();
        var change = await db.Set<SowChange>().FirstOrDefaultAsync(c => c.Id == changeId && c.EngagementId == eid, ct)
            ?? throw new NotFoundException("Change");
        if (change.Status != SowChangeStatus.Pending)
        {
            throw new ConflictException("Already decided",
                change.Status == SowChangeStatus.Superseded
                    ? "A newer mark-up replaced this change; review the changes of the latest mark-up instead."
                    : $"This change was already {change.Status}{(change.ResultVersionNumber is { } r ? $" in version {r}" : "")}.");
        }
        var latest = await db.Set<SowDocumentVersion>().AsNoTracking().Where(v => v.EngagementId == eid)
            .OrderByDescending(v => v.Number).FirstAsync(ct);
        var next = DocxMarkup.Apply(latest.Content, change.Kind, change.WordId, accept)
            ?? throw new ConflictException("Change not found in the document",
                $"Version {latest.Number} no longer contains this {change.Kind}; it cannot be {(accept ? "accepted" : "rejected")}.", ChangeGoneRule);

        var verb = accept ? "Accepted" : "Rejected";
        var preview = change.Text.Length > 80 ? change.Text[..79] + "…" : change.Text;
        var version = NewVersion(actor, eid, customerId, latest.Number + 1, SowVersionKind.Decision, next,
            "SOW-" + eid.ToString("n")[..8].ToUpperInvariant(), latest.TemplateNumber,
            $"{verb} {change.Kind} by {change.Author ?? "unknown"} (v{change.VersionNumber} #{change.Ordinal}): \"{preview}\"");
        db.Add(version);
        change.Status = accept ? SowChangeStatus.Accepted : SowChangeStatus.Rejected;
        change.DecidedAt = clock.GetUtcNow();
        change.DecidedById = actor.UserId;
        change.DecidedByName = actor.Name;
        change.DecisionReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        change.ResultVersionNumber = version.Number;
        audit.Record(actor, "engagement", eid, accept ? "sow.change-accepted" : "sow.change-rejected", reason,
            new { changeId = change.Id, change.Kind, change.Author, change.Text, version = version.Number }, customerId);
        await SaveAsync(ct);
        var pending = await db.Set<SowChange>().CountAsync(c => c.EngagementId == eid && c.Status == SowChangeStatus.Pending, ct);
        return new SowDecisionResult(ToDto(change), ToDto(version, pending));
    }

    /// Compares a version with the one before it, paragraph by paragraph (version 1 is compared with nothing).
    public async Task<SowComparison> CompareAsync(Actor actor, Guid engagementId, int number, CancellationToken ct)
    {
        var (eid, _) = await EngagementAsync(actor, engagementId, ct);
        var pair = await db.Set<SowDocumentVersion>().AsNoTracking()
            .Where(v => v.EngagementId == eid && (v.Number == number || v.Number == number - 1))
            .Select(v => new { v.Number, v.Content }).ToListAsync(ct);
        var current = pair.FirstOrDefault(p => p.Number == number) ?? throw new NotFoundException("SOW version");
        var previous = pair.FirstOrDefault(p => p.Number == number - 1);
        var lines = ParagraphDiff.Compare(previous is null ? [] : DocxText.Lines(previous.Content), DocxText.Lines(current.Content));
        return new SowComparison(previous?.Number, number, lines.Count(l => l.Op == ParagraphDiff.Added),
            lines.Count(l => l.Op == ParagraphDiff.Removed), lines);
    }

    private async Task<(Guid Id, Guid CustomerId)> EngagementAsync(Actor actor, Guid id, CancellationToken ct)
    {
        var q = db.Engagements.AsNoTracking().Where(e => e.Id == id).VisibleTo(actor);
        var e = await q.Select(x => new { x.Id, x.CustomerId }).FirstOrDefaultAsync(ct) ?? throw new NotFoundException("Engagement");
        return (e.Id, e.CustomerId);
    }

    private async Task<int> NextNumberAsync(Guid engagementId, CancellationToken ct) =>
        (await db.Set<SowDocumentVersion>().Where(v => v.EngagementId == engagementId).MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;

    private SowDocumentVersion NewVersion(Actor actor, Guid engagementId, Guid customerId, int number, string kind, byte[] content,
        string reference, int? templateNumber, string? note) => new()
        {
            Id = Guid.NewGuid(),
            EngagementId = engagementId,
            CustomerId = customerId,
            Number = number,
            Kind = kind,
            FileName = $"{reference}-v{number}.docx",
            Content = content,
            Size = content.Length,
            Sha256 = SowTemplateService.Sha256(content),
            TemplateNumber = templateNumber,
            Note = note is { Length: > 1000 } ? note[..1000] : note,
            CreatedAt = clock.GetUtcNow(),
            CreatedById = actor.UserId,
            CreatedByName = actor.Name,
        };

    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException("Changed at the same time",
                "Someone else added a version of this SOW at the same moment; reload and try again.");
        }
    }

    private static void EnsureStaff(Actor actor)
    {
        if (!actor.IsStaff) throw new ForbiddenException("Only the Professional Services team can do this.");
    }

    private static SowVersionDto ToDto(SowDocumentVersion v, int pending) => new(v.Id, v.Number, v.Kind, v.FileName, v.Size, v.Sha256,
        v.TemplateNumber, v.Note, v.CreatedAt, v.CreatedByName, pending);

    private static SowChangeDto ToDto(SowChange c) => new(c.Id, c.VersionNumber, c.Ordinal, c.Kind, c.Author, c.Date, c.Text, c.Context,
        c.Status, c.DecidedAt, c.DecidedByName, c.DecisionReason, c.ResultVersionNumber);
}

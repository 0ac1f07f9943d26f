using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.SowDocuments;

/// One uploaded version of the administrator's SOW template (a DOCX with MERGEFIELD fields). The newest one is
/// used for generation; older ones are kept so every generated document can say which template it came from.
public sealed class SowTemplate
{
    public Guid Id { get; set; }
    public int Number { get; set; }
    public required string FileName { get; set; }
    public required byte[] Content { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    /// The merge fields found in the file, comma-separated, for the versions list.
    public string Fields { get; set; } = "";
    public string? Note { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public Guid? UploadedById { get; set; }
    public required string UploadedByName { get; set; }
}

public static class SowVersionKind
{
    /// Generated from the engagement's data and the template.
    public const string Generated = "generated";
    /// A DOCX the customer (or the team on their behalf) marked up and uploaded.
    public const string Markup = "markup";
    /// Produced by accepting or rejecting one change of a mark-up.
    public const string Decision = "decision";
}

/// One version of an engagement's SOW document. Versions are numbered 1, 2, 3 … per engagement and never change.
public sealed class SowDocumentVersion : ICustomerOwned<SowDocumentVersion>
{
    public static Expression<Func<SowDocumentVersion, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public Guid Id { get; set; }
    public Guid EngagementId { get; set; }
    public Engagement? Engagement { get; set; }
    /// Copied from the engagement so that tenant isolation is one indexed filter.
    public Guid CustomerId { get; set; }
    public int Number { get; set; }
    public required string Kind { get; set; }
    public required string FileName { get; set; }
    public required byte[] Content { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public int? TemplateNumber { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? CreatedById { get; set; }
    public required string CreatedByName { get; set; }
}

public static class SowChangeKind
{
    public const string Insertion = "insertion";
    public const string Deletion = "deletion";
    public const string Comment = "comment";
}

public static class SowChangeStatus
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    /// A newer mark-up was uploaded before this change was decided.
    public const string Superseded = "superseded";
}

/// A tracked insertion, tracked deletion or comment found in an uploaded mark-up.
public sealed class SowChange : ICustomerOwned<SowChange>
{
    public static Expression<Func<SowChange, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public Guid Id { get; set; }
    public Guid EngagementId { get; set; }
    public Guid CustomerId { get; set; }
    /// The mark-up version the change was found in.
    public Guid VersionId { get; set; }
    public int VersionNumber { get; set; }
    /// Position in the document (1-based), for a stable order.
    public int Ordinal { get; set; }
    public required string Kind { get; set; }
    /// The w:id of the w:ins/w:del element or of the comment: how the change is found again in later versions.
    public required string WordId { get; set; }
    public string? Author { get; set; }
    public DateTimeOffset? Date { get; set; }
    public string Text { get; set; } = "";
    public string Context { get; set; } = "";
    public string Status { get; set; } = SowChangeStatus.Pending;
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedByName { get; set; }
    public Guid? DecidedById { get; set; }
    public string? DecisionReason { get; set; }
    /// The version the decision produced.
    public int? ResultVersionNumber { get; set; }
}

internal sealed class SowTemplateConfiguration : IEntityTypeConfiguration<SowTemplate>
{
    public void Configure(EntityTypeBuilder<SowTemplate> b)
    {
        b.ToTable("SowTemplates");
        b.HasIndex(t => t.Number).IsUnique();
        b.Property(t => t.FileName).HasMaxLength(255);
        b.Property(t => t.Sha256).HasMaxLength(64);
        b.Property(t => t.Fields).HasMaxLength(2000);
        b.Property(t => t.Note).HasMaxLength(1000);
        b.Property(t => t.UploadedByName).HasMaxLength(200);
    }
}

internal sealed class SowDocumentVersionConfiguration : IEntityTypeConfiguration<SowDocumentVersion>
{
    public void Configure(EntityTypeBuilder<SowDocumentVersion> b)
    {
        b.ToTable("SowDocumentVersions");
        // Unique so that two decisions taken at the same moment cannot both become "the next version".
        b.HasIndex(v => new { v.EngagementId, v.Number }).IsUnique();
        b.HasIndex(v => v.CustomerId);
        b.Property(v => v.Kind).HasMaxLength(20);
        b.Property(v => v.FileName).HasMaxLength(255);
        b.Property(v => v.Sha256).HasMaxLength(64);
        b.Property(v => v.Note).HasMaxLength(1000);
        b.Property(v => v.CreatedByName).HasMaxLength(200);
        b.HasOne(v => v.Engagement).WithMany().HasForeignKey(v => v.EngagementId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SowChangeConfiguration : IEntityTypeConfiguration<SowChange>
{
    public void Configure(EntityTypeBuilder<SowChange> b)
    {
        b.ToTable("SowChanges");
        b.HasIndex(c => new { c.EngagementId, c.VersionNumber, c.Ordinal });
        b.Property(c => c.Kind).HasMaxLength(20);
        b.Property(c => c.WordId).HasMaxLength(40);
        b.Property(c => c.Author).HasMaxLength(200);
        b.Property(c => c.Text).HasMaxLength(4000);
        b.Property(c => c.Context).HasMaxLength(1000);
        b.Property(c => c.Status).HasMaxLength(20);
        b.Property(c => c.DecidedByName).HasMaxLength(200);
        b.Property(c => c.DecisionReason).HasMaxLength(2000);
        b.HasOne<SowDocumentVersion>().WithMany().HasForeignKey(c => c.VersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

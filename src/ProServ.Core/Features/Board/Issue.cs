using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;
using ProServ.Core.Features.Customers;

namespace ProServ.Core.Features.Board;

/// One piece of the team's work on the PS board. The id is a plain number (#42), as people quote it.
public sealed class Issue : ICustomerOwned<Issue>
{
    public static Expression<Func<Issue, Guid?>> OwnerCustomerId => x => x.CustomerId;

    public const string Open = "open";
    public const string Closed = "closed";

    public long Id { get; set; }
    public required string Title { get; set; }
    /// Markdown as written; <see cref="DescriptionHtml"/> is its sanitised rendering, made on write.
    public string Description { get; set; } = "";
    public string DescriptionHtml { get; set; } = "";
    public string Type { get; set; } = IssueType.Other;
    public string State { get; set; } = Open;
    public DateOnly? DueDate { get; set; }
    public int? Weight { get; set; }
    public Guid? CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public Guid? EngagementId { get; set; }
    /// Confidential issues are never shown to customer contacts.
    public bool Confidential { get; set; }
    public Guid? AuthorId { get; set; }
    public string AuthorName { get; set; } = "";
    /// Sortable position shared by every board column the issue appears in (gapped integers, rebalanced when a gap closes).
    public long Rank { get; set; }
    /// Bodies of the comments, kept in step by the service so full-text search covers them: public ones and internal ones apart,
    /// so a customer contact's search never matches an internal comment.
    public string PublicCommentText { get; set; } = "";
    public string InternalCommentText { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int Version { get; set; }
    public List<IssueLabel> Labels { get; set; } = [];
    public List<IssueAssignee> Assignees { get; set; } = [];
}

public static class IssueType
{
    public const string SowRequest = "sow-request";
    public const string EngagementTask = "engagement-task";
    public const string SupportAssist = "support-assist";
    public const string StrategicInitiative = "strategic-initiative";
    public const string Training = "training";
    public const string Certification = "certification";
    public const string Migration = "migration";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } =
        [SowRequest, EngagementTask, SupportAssist, StrategicInitiative, Training, Certification, Migration, Other];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}

public sealed class IssueLabel
{
    public long IssueId { get; set; }
    public Guid LabelId { get; set; }
    public Label? Label { get; set; }
}

public sealed class IssueAssignee
{
    public long IssueId { get; set; }
    public Guid UserId { get; set; }
}

public sealed class IssueComment
{
    public long Id { get; set; }
    public long IssueId { get; set; }
    public Guid? AuthorId { get; set; }
    public string AuthorName { get; set; } = "";
    public required string Body { get; set; }
    public string BodyHtml { get; set; } = "";
    /// Internal comments are for the team only; customer contacts never see them.
    public bool Internal { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<CommentMention> Mentions { get; set; } = [];
}

public sealed class CommentMention
{
    public long CommentId { get; set; }
    public Guid UserId { get; set; }
}

/// The history shown on an issue. Entries about internal things (internal comments, confidentiality) are hidden from customer contacts.
public sealed class IssueActivity
{
    public long Id { get; set; }
    public long IssueId { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? ActorId { get; set; }
    public string ActorName { get; set; } = "";
    public required string Action { get; set; }
    public required string Text { get; set; }
    public bool Internal { get; set; }
}

internal sealed class IssueConfiguration : IEntityTypeConfiguration<Issue>
{
    public void Configure(EntityTypeBuilder<Issue> b)
    {
        b.ToTable("Issues");
        b.Property(i => i.Title).HasMaxLength(255);
        b.Property(i => i.Type).HasMaxLength(40);
        b.Property(i => i.State).HasMaxLength(10);
        b.Property(i => i.AuthorName).HasMaxLength(200);
        b.Property(i => i.Version).IsConcurrencyToken();
        b.HasOne(i => i.Customer).WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Engagements.Engagement>().WithMany().HasForeignKey(i => i.EngagementId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(i => i.Labels).WithOne().HasForeignKey(l => l.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(i => i.Assignees).WithOne().HasForeignKey(a => a.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.State, i.Rank });
        b.HasIndex(i => new { i.CustomerId, i.State });
        b.HasIndex(i => i.EngagementId);
        b.HasIndex(i => new { i.Type, i.State });
        b.HasIndex(i => i.DueDate);
        b.HasIndex(i => i.UpdatedAt);
    }
}

internal sealed class IssueLabelConfiguration : IEntityTypeConfiguration<IssueLabel>
{
    public void Configure(EntityTypeBuilder<IssueLabel> b)
    {
        b.ToTable("IssueLabels");
        b.HasKey(l => new { l.IssueId, l.LabelId });
        b.HasIndex(l => new { l.LabelId, l.IssueId });
        b.HasOne(l => l.Label).WithMany().HasForeignKey(l => l.LabelId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IssueAssigneeConfiguration : IEntityTypeConfiguration<IssueAssignee>
{
    public void Configure(EntityTypeBuilder<IssueAssignee> b)
    {
        b.ToTable("IssueAssignees");
        b.HasKey(a => new { a.IssueId, a.UserId });
        b.HasIndex(a => new { a.UserId, a.IssueId });
        b.HasOne<Users.ProServUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IssueCommentConfiguration : IEntityTypeConfiguration<IssueComment>
{
    public void Configure(EntityTypeBuilder<IssueComment> b)
    {
        b.ToTable("IssueComments");
        b.Property(c => c.AuthorName).HasMaxLength(200);
        b.HasOne<Issue>().WithMany().HasForeignKey(c => c.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.IssueId, c.CreatedAt });
        b.HasMany(c => c.Mentions).WithOne().HasForeignKey(m => m.CommentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CommentMentionConfiguration : IEntityTypeConfiguration<CommentMention>
{
    public void Configure(EntityTypeBuilder<CommentMention> b)
    {
        b.ToTable("CommentMentions");
        b.HasKey(m => new { m.CommentId, m.UserId });
        b.HasIndex(m => m.UserId);
        b.HasOne<Users.ProServUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IssueActivityConfiguration : IEntityTypeConfiguration<IssueActivity>
{
    public void Configure(EntityTypeBuilder<IssueActivity> b)
    {
        b.ToTable("IssueActivities");
        b.Property(a => a.ActorName).HasMaxLength(200);
        b.Property(a => a.Action).HasMaxLength(60);
        b.Property(a => a.Text).HasMaxLength(2000);
        b.HasOne<Issue>().WithMany().HasForeignKey(a => a.IssueId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.IssueId, a.At });
    }
}

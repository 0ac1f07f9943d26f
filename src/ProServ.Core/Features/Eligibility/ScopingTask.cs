using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ProServ.Core.Common;

namespace ProServ.Core.Features.Eligibility;

public static class ScopingKind
{
    /// Training on its own: Customer Success scopes it in the `scoping` stage and a PS manager signs it off.
    public const string TrainingOnly = "training-only";

    /// A customer upgrading from CE with services in the transition: PS scopes the transition first.
    public const string CeUpgrade = "ce-upgrade";

    public static IReadOnlyList<string> All { get; } = [TrainingOnly, CeUpgrade];
}

/// A scoping step the rules require before an engagement may be quoted. Created automatically by the SOW request
/// (or when the engagement enters the scoping stage) and done when someone allowed to signs it off.
public sealed class ScopingTask : ICustomerOwned<ScopingTask>
{
    public static Expression<Func<ScopingTask, Guid?>> OwnerCustomerId => x => x.Engagement!.CustomerId;

    public Guid Id { get; set; }
    public Guid EngagementId { get; set; }
    public Engagements.Engagement? Engagement { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public Guid? CompletedById { get; set; }
    public string? CompletedByName { get; set; }
    public string? Notes { get; set; }
    public int Version { get; set; }

    public bool IsDone => CompletedAt is not null;
}

internal sealed class ScopingTaskConfiguration : IEntityTypeConfiguration<ScopingTask>
{
    public void Configure(EntityTypeBuilder<ScopingTask> b)
    {
        b.ToTable("ScopingTasks");
        b.Property(t => t.Kind).HasMaxLength(40);
        b.Property(t => t.Title).HasMaxLength(300);
        b.Property(t => t.CompletedByName).HasMaxLength(200);
        b.Property(t => t.Notes).HasMaxLength(4000);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.Ignore(t => t.IsDone);
        b.HasIndex(t => new { t.EngagementId, t.Kind }).IsUnique();
        b.HasOne(t => t.Engagement).WithMany().HasForeignKey(t => t.EngagementId).OnDelete(DeleteBehavior.Cascade);
    }
}

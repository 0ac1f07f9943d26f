using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ProServ.Core.Features.Board;

/// A board: Open, then one column per label, then Closed, showing the issues its filter selects.
public sealed class IssueBoard
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// An issue filter in the same query-string form as the issue list's URL (e.g. <c>type=strategic-initiative</c>).
    public string? Filter { get; set; }
    public List<BoardColumn> Columns { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public int Version { get; set; }
    /// Bumped by every card move inside the move's transaction: the row lock it takes serialises moves on one board.
    public long MoveCount { get; set; }
}

public sealed class BoardColumn
{
    public Guid Id { get; set; }
    public Guid BoardId { get; set; }
    public Guid LabelId { get; set; }
    public Label? Label { get; set; }
    public int Position { get; set; }
}

internal sealed class IssueBoardConfiguration : IEntityTypeConfiguration<IssueBoard>
{
    public void Configure(EntityTypeBuilder<IssueBoard> b)
    {
        b.ToTable("Boards");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Filter).HasMaxLength(2000);
        b.HasIndex(x => x.Name);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasMany(x => x.Columns).WithOne().HasForeignKey(c => c.BoardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BoardColumnConfiguration : IEntityTypeConfiguration<BoardColumn>
{
    public void Configure(EntityTypeBuilder<BoardColumn> b)
    {
        b.ToTable("BoardColumns");
        b.HasIndex(c => new { c.BoardId, c.Position });
        b.HasOne(c => c.Label).WithMany().HasForeignKey(c => c.LabelId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// A template for new issues (the SOW request is one): Markdown with sections that must be filled in.
public sealed class IssueTemplate
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Type { get; set; } = IssueType.Other;
    public string Body { get; set; } = "";
    /// Headings (without the #) that a new issue from this template must keep and fill in, one per line.
    public string RequiredSections { get; set; } = "";
    /// Labels applied to a new issue from this template, one per line.
    public string Labels { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class IssueTemplateConfiguration : IEntityTypeConfiguration<IssueTemplate>
{
    public void Configure(EntityTypeBuilder<IssueTemplate> b)
    {
        b.ToTable("IssueTemplates");
        b.Property(t => t.Slug).HasMaxLength(80);
        b.Property(t => t.Name).HasMaxLength(200);
        b.Property(t => t.Type).HasMaxLength(40);
        b.HasIndex(t => t.Slug).IsUnique();
    }
}

/// A named issue filter; its URL is the issue list's URL with the same query string.
public sealed class SavedView
{
    public Guid Id { get; set; }
    public Guid? OwnerId { get; set; }
    public required string Name { get; set; }
    public required string Query { get; set; }
    /// Shared views are listed for the whole team, not only their owner.
    public bool Shared { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> b)
    {
        b.ToTable("SavedViews");
        b.Property(v => v.Name).HasMaxLength(200);
        b.Property(v => v.Query).HasMaxLength(2000);
        b.HasIndex(v => v.OwnerId);
        b.HasOne<Users.ProServUser>().WithMany().HasForeignKey(v => v.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ProServ.Core.Features.Board;

/// A label with colour and description. A name like <c>stage::quoted</c> is scoped: an issue holds at most one label of a scope.
public sealed class Label
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// Lower-case name, unique: labels are matched without regard to case.
    public required string Key { get; set; }
    /// The part before the last "::" (GitLab's rule), or null for an unscoped label.
    public string? Scope { get; set; }
    public string Color { get; set; } = LabelRules.DefaultColor;
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static partial class LabelRules
{
    public const string DefaultColor = "#6699cc";

    public static string KeyOf(string name) => name.Trim().ToLowerInvariant();

    /// GitLab's rule: the scope is everything before the last "::"; <c>a::b::c</c> is in scope <c>a::b</c>.
    public static string? ScopeOf(string name)
    {
        var key = KeyOf(name);
        var i = key.LastIndexOf("::", StringComparison.Ordinal);
        return i > 0 && i < key.Length - 2 ? key[..i] : null;
    }

    public static bool IsValidColor(string color) => ColorPattern().IsMatch(color);

    public static bool IsValidName(string name) =>
        name.Trim().Length is > 0 and <= 100 && !name.Contains(',', StringComparison.Ordinal) && !name.Any(char.IsControl);

    /// Adds a label to a set of label keys, removing any other label of the same scope (scoped labels are exclusive).
    public static void AddExclusive(List<Label> current, Label added)
    {
        if (added.Scope is not null)
        {
            current.RemoveAll(l => l.Scope == added.Scope && l.Id != added.Id);
        }
        if (!current.Any(l => l.Id == added.Id))
        {
            current.Add(added);
        }
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();
}

internal sealed class LabelConfiguration : IEntityTypeConfiguration<Label>
{
    public void Configure(EntityTypeBuilder<Label> b)
    {
        b.ToTable("Labels");
        b.Property(l => l.Name).HasMaxLength(100);
        b.Property(l => l.Key).HasMaxLength(100);
        b.Property(l => l.Scope).HasMaxLength(100);
        b.Property(l => l.Color).HasMaxLength(7);
        b.Property(l => l.Description).HasMaxLength(500);
        b.HasIndex(l => l.Key).IsUnique();
        b.HasIndex(l => l.Scope);
    }
}

using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;

namespace ProServ.Core.Features.Board;

public sealed record IssueTemplateDto(Guid Id, string Slug, string Name, string Type, string Body, IReadOnlyList<string> RequiredSections, IReadOnlyList<string> Labels);

public sealed record IssueTemplateInput(string? Slug, string? Name, string? Type, string? Body, IReadOnlyList<string>? RequiredSections, IReadOnlyList<string>? Labels);

public static class IssueTemplates
{
    /// The required sections of <paramref name="template"/> that <paramref name="description"/> lacks or leaves empty.
    /// A section is its heading (any level) and the lines up to the next heading; placeholder comments do not count as content.
    public static IReadOnlyList<string> MissingSections(IssueTemplate template, string description)
    {
        var required = Lines(template.RequiredSections);
        if (required.Count == 0) return [];
        var filled = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? heading = null;
        var inComment = false;
        foreach (var raw in description.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (!inComment && line.StartsWith('#'))
            {
                heading = line.TrimStart('#').Trim().TrimEnd(':');
                continue;
            }
            // Strip HTML comments (the template's placeholders), which may span lines.
            var text = "";
            var rest = line;
            while (rest.Length > 0)
            {
                if (inComment)
                {
                    var end = rest.IndexOf("-->", StringComparison.Ordinal);
                    if (end < 0) { rest = ""; break; }
                    rest = rest[(end + 3)..];
                    inComment = false;
                }
                else
                {
                    var start = rest.IndexOf("<!--", StringComparison.Ordinal);
                    if (start < 0) { text += rest; break; }
                    text += rest[..start];
                    rest = rest[(start + 4)..];
                    inComment = true;
                }
            }
            if (heading is not null && text.Trim().Length > 0)
            {
                filled.Add(heading);
            }
        }
        return required.Where(r => !filled.Contains(r)).ToList();
    }

    /// <summary>The non-empty, trimmed lines of a multi-line field (required sections, labels).</summary>
    public static List<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

/// The issue templates of the board (a new issue starts from one).
public sealed class IssueTemplateService(ProServDbContext db, AuditWriter audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<IssueTemplateDto>> ListAsync(CancellationToken ct) =>
        (await db.IssueTemplates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(ct)).Select(ToDto).ToList();

    public async Task<IssueTemplateDto> GetAsync(string slug, CancellationToken ct) =>
        ToDto(await db.IssueTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug.ToLowerInvariant(), ct)
            ?? throw new NotFoundException("Issue template"));

    public async Task<IssueTemplateDto> SaveAsync(Actor actor, IssueTemplateInput input, CancellationToken ct)
    {
        LabelService.RequireStaff(actor);
        var errors = new ValidationErrors();
        var slug = input.Slug?.Trim().ToLowerInvariant() ?? "";
        errors.Require(System.Text.RegularExpressions.Regex.IsMatch(slug, "^[a-z0-9][a-z0-9-]{0,79}$"), "slug", "The slug is lower-case letters, digits and dashes.");
        var name = input.Name?.Trim() ?? "";
        errors.Require(name.Length is > 0 and <= 200, "name", "Enter a name of at most 200 characters.");
        var type = input.Type?.Trim().ToLowerInvariant() ?? IssueType.Other;
        errors.Require(IssueType.IsKnown(type), "type", $"The type is one of: {string.Join(", ", IssueType.All)}.");
        errors.ThrowIfAny();
        var template = await db.IssueTemplates.FirstOrDefaultAsync(t => t.Slug == slug, ct);
        if (template is null)
        {
            template = new IssueTemplate { Id = Guid.NewGuid(), Slug = slug, Name = name };
            db.IssueTemplates.Add(template);
        }
        template.Name = name;
        template.Type = type;
        template.Body = input.Body ?? "";
        template.RequiredSections = string.Join('\n', input.RequiredSections ?? []);
        template.Labels = string.Join('\n', input.Labels ?? []);
        template.UpdatedAt = clock.GetUtcNow();
        audit.Record(actor, "issue-template", template.Id, "issue-template.saved", null, new { slug, name });
        await db.SaveChangesAsync(ct);
        return ToDto(template);
    }

    private static IssueTemplateDto ToDto(IssueTemplate t) =>
        new(t.Id, t.Slug, t.Name, t.Type, t.Body, IssueTemplates.Lines(t.RequiredSections), IssueTemplates.Lines(t.Labels));
}

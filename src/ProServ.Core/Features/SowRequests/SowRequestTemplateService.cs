using System.Net.Mail;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.Audit;
using ProServ.Core.Features.Board;
using ProServ.Core.Features.Catalog;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Eligibility;
using ProServ.Core.Features.Engagements;

namespace ProServ.Core.Features.SowRequests;

/// The form a SOW request fills in: its fields, which are required, and their help; versioned, edited by administrators.
public sealed class SowRequestTemplateService(ProServDbContext db, AuditWriter audit, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SowRequestTemplateDto> GetTemplateAsync(CancellationToken ct)
    {
        var t = await db.SowRequestTemplates.AsNoTracking().OrderByDescending(x => x.Version).FirstOrDefaultAsync(ct);
        return t is null ? new SowRequestTemplateDto(1, SowRequestTemplate.DefaultFields, null, null, "Built-in template") : ToDto(t);
    }

    public async Task<IReadOnlyList<SowRequestTemplateDto>> TemplateVersionsAsync(CancellationToken ct)
    {
        var list = await db.SowRequestTemplates.AsNoTracking().OrderByDescending(x => x.Version).ToListAsync(ct);
        var dtos = list.Select(ToDto).ToList();
        if (!dtos.Any(d => d.Version == 1)) dtos.Add(new SowRequestTemplateDto(1, SowRequestTemplate.DefaultFields, null, null, "Built-in template"));
        return dtos;
    }

    /// Saves the template as a new version (administrators only). The version sent must be the current one.
    public async Task<SowRequestTemplateDto> UpdateTemplateAsync(Actor actor, SowTemplateInput input, CancellationToken ct)
    {
        if (!actor.IsAdministrator)
        {
            throw new ForbiddenException("Only administrators edit the SOW request template.");
        }
        var current = await GetTemplateAsync(ct);
        if (input.Version is { } v && v != current.Version)
        {
            throw new ConflictException("Edited by someone else",
                $"The template is at version {current.Version} now, not {v}; reload it and apply your change again.");
        }
        var errors = new ValidationErrors();
        var fields = input.Fields ?? [];
        errors.Require(fields.Count > 0, "fields", "List the template's fields.");
        var keys = fields.Select(f => f.Key).ToList();
        foreach (var unknown in keys.Where(k => !SowField.All.Contains(k)).Distinct())
        {
            errors.Add("fields", $"'{unknown}' is not a field of a SOW request; the fields are: {string.Join(", ", SowField.All)}.");
        }
        foreach (var dup in keys.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add("fields", $"The field '{dup.Key}' is listed twice.");
        }
        foreach (var f in fields)
        {
            if (!FieldRequirement.All.Contains(f.Required))
                errors.Add("fields", $"'{f.Key}': required is one of {string.Join(", ", FieldRequirement.All)}.");
            if (string.IsNullOrWhiteSpace(f.Label) || f.Label.Length > 200)
                errors.Add("fields", $"'{f.Key}': enter a label of at most 200 characters.");
            if ((f.Help?.Length ?? 0) > 1000)
                errors.Add("fields", $"'{f.Key}': the help text is longer than 1000 characters.");
            if (SowField.AlwaysRequired.Contains(f.Key) && f.Required != FieldRequirement.Always)
                errors.Add("fields", $"'{f.Key}' is always required.");
        }
        foreach (var missing in SowField.AlwaysRequired.Except(keys))
        {
            errors.Add("fields", $"The template must contain '{missing}'.");
        }
        errors.Require(input.Note is null || input.Note.Length <= 2000, "note", "The note is longer than 2000 characters.");
        errors.ThrowIfAny();

        var template = new SowRequestTemplate
        {
            Id = Guid.NewGuid(),
            Version = current.Version + 1,
            Fields = JsonSerializer.Serialize(fields.Select(f => f with { Label = f.Label.Trim(), Help = f.Help?.Trim() ?? "" }).ToList(), Json),
            CreatedAt = clock.GetUtcNow(),
            CreatedById = actor.UserId,
            CreatedByName = actor.Name,
            Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
        };
        db.SowRequestTemplates.Add(template);
        audit.Record(actor, "sow-template", template.Version, "sow-template.updated", template.Note, new { template.Version, keys });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ConflictException("Edited by someone else", "Someone saved the template at the same moment; reload it and apply your change again.");
        }
        return ToDto(template);
    }

    /// Every rule the request would fire and every field it lacks; saves nothing.
    internal static string Message(SowRequestTemplateDto template, string key)
    {
        var f = template.Fields.FirstOrDefault(x => x.Key == key);
        var label = f?.Label ?? key;
        return string.IsNullOrWhiteSpace(f?.Help) ? $"{label} is required." : $"{label} is required: {f.Help}";
    }

    private static SowRequestTemplateDto ToDto(SowRequestTemplate t) => new(t.Version,
        JsonSerializer.Deserialize<List<TemplateField>>(t.Fields, Json) ?? [], t.CreatedAt, t.CreatedByName, t.Note);
}

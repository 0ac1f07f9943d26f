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

public sealed record SowEnvironmentInput(string? Vcs, string? Ci, string? Authentication, string? Users, string? Notes = null);

public sealed record SowRequestInput(
    Guid? CustomerId, IReadOnlyList<Guid>? OfferingIds, string? Goals, SowEnvironmentInput? Environment, string? Timeline,
    IReadOnlyList<SowContact>? Contacts, string? UseCase, string? Title = null);

public sealed record SowTemplateDto(int Version, IReadOnlyList<TemplateField> Fields, DateTimeOffset? CreatedAt, string? CreatedByName, string? Note);

public sealed record SowTemplateInput(IReadOnlyList<TemplateField>? Fields, int? Version, string? Note);

public sealed record SowEnvironmentDto(string? Vcs, string? Ci, string? Authentication, string? Users, string? Notes);

public sealed record SowRequestDto(
    Guid Id, Guid EngagementId, Guid CustomerId, string CustomerName, string Tier, string Stage, int TemplateVersion,
    IReadOnlyList<EngagementOfferingDto> Offerings, string Goals, SowEnvironmentDto Environment, string Timeline,
    IReadOnlyList<SowContact> Contacts, string? UseCase, bool TrainingOnly, IReadOnlyList<string> Labels,
    IReadOnlyList<ScopingTaskDto> ScopingTasks, DateTimeOffset CreatedAt, string CreatedByName);

/// What a request would trigger: the rules that refuse it, the fields it lacks, and what acceptance would do.
public sealed record SowRequestCheck(
    bool Accepted, IReadOnlyList<RuleFinding> Rules, IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<string> ScopingRequired, IReadOnlyList<string> Labels, int TemplateVersion);

public sealed record SowRequestQuery(Guid? CustomerId = null);

public sealed class SowRequestService(ProServDbContext db, AuditWriter audit, TimeProvider clock, EligibilityPolicy eligibility,
    IssueService issues)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<SowTemplateDto> GetTemplateAsync(CancellationToken ct)
    {
        var t = await db.SowRequestTemplates.AsNoTracking().OrderByDescending(x => x.Version).FirstOrDefaultAsync(ct);
        return t is null ? new SowTemplateDto(1, SowRequestTemplate.DefaultFields, null, null, "Built-in template") : ToDto(t);
    }

    public async Task<IReadOnlyList<SowTemplateDto>> TemplateVersionsAsync(CancellationToken ct)
    {
        var list = await db.SowRequestTemplates.AsNoTracking().OrderByDescending(x => x.Version).ToListAsync(ct);
        var dtos = list.Select(ToDto).ToList();
        if (!dtos.Any(d => d.Version == 1)) dtos.Add(new SowTemplateDto(1, SowRequestTemplate.DefaultFields, null, null, "Built-in template"));
        return dtos;
    }

    /// Saves the template as a new version (administrators only). The version sent must be the current one.
    public async Task<SowTemplateDto> UpdateTemplateAsync(Actor actor, SowTemplateInput input, CancellationToken ct)
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
    public async Task<SowRequestCheck> CheckAsync(Actor actor, SowRequestInput input, CancellationToken ct) =>
        (await EvaluateAsync(actor, input, ct)).Check;

    /// Files the request: refused (422) with every missing field and the rules that fire, or accepted, creating the
    /// engagement in stage requested with its board labels and the scoping tasks the rules call for.
    public async Task<SowRequestDto> CreateAsync(Actor actor, SowRequestInput input, CancellationToken ct)
    {
        var (check, customer, offerings, facts) = await EvaluateAsync(actor, input, ct);
        EligibilityPolicy.ThrowIfAny(check.Rules, check.Errors);
        if (check.Errors.Count > 0)
        {
            throw new ValidationFailedException(check.Errors);
        }

        var now = clock.GetUtcNow();
        var names = string.Join(", ", offerings!.Select(o => o.Name));
        var title = string.IsNullOrWhiteSpace(input.Title) ? $"SOW: {names} for {customer!.Name}" : input.Title.Trim();
        if (title.Length > 300) title = title[..300];
        var engagement = new Engagement
        {
            Id = Guid.NewGuid(),
            CustomerId = customer!.Id,
            Title = title,
            OwnerId = actor.UserId is { } uid && await db.Users.AnyAsync(u => u.Id == uid, ct) ? uid : null,
            Stage = EngagementStage.Requested,
            Offerings = offerings!.Select(o => new EngagementOffering { OfferingId = o.Id }).ToList(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var env = input.Environment;
        var request = new SowRequest
        {
            Id = Guid.NewGuid(),
            CustomerId = customer.Id,
            EngagementId = engagement.Id,
            TemplateVersion = check.TemplateVersion,
            Goals = input.Goals?.Trim() ?? "",
            EnvironmentVcs = Clean(env?.Vcs),
            EnvironmentCi = Clean(env?.Ci),
            EnvironmentAuthentication = Clean(env?.Authentication),
            EnvironmentUsers = Clean(env?.Users),
            EnvironmentNotes = Clean(env?.Notes),
            Timeline = input.Timeline?.Trim() ?? "",
            Contacts = JsonSerializer.Serialize(CleanContacts(input.Contacts), Json),
            UseCase = Clean(input.UseCase),
            TrainingOnly = facts!.TrainingOnly,
            Labels = string.Join('\n', check.Labels),
            CreatedAt = now,
            CreatedById = actor.UserId,
            CreatedByName = actor.Name,
        };
        db.Engagements.Add(engagement);
        db.SowRequests.Add(request);
        foreach (var kind in check.ScopingRequired)
        {
            db.ScopingTasks.Add(eligibility.NewTask(engagement.Id, kind));
        }
        audit.Record(actor, "engagement", engagement.Id, "engagement.created", null,
            new { engagement.Title, engagement.CustomerId, offeringIds = offerings!.Select(o => o.Id), stage = engagement.Stage, sowRequestId = request.Id },
            customer.Id);
        audit.Record(actor, "sow-request", request.Id, "sow-request.created", null,
            new { request.EngagementId, request.TemplateVersion, labels = check.Labels, scoping = check.ScopingRequired }, customer.Id);
        audit.Publish("sow-request.created", new
        {
            request.Id, request.EngagementId, request.CustomerId, labels = check.Labels, scoping = check.ScopingRequired,
        });
        // The request, its engagement and its board issue (labelled type::sow, offering::…, tier::…, stage::…) commit together.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await issues.CreateAsync(actor, new IssueInput(
            engagement.Title, BoardDescription(request, customer.Name, names), IssueType.SowRequest, BoardLabels(check.Labels), null, null, null,
            customer.Id, engagement.Id, Confidential: true), ct);
        await tx.CommitAsync(ct);
        return await GetAsync(actor, request.Id, ct);
    }

    /// Scoped labels are exclusive on the board, as in GitLab, so several `offering::…` labels cannot share an issue:
    /// a request for several offerings is labelled `offering::multiple` plus one plain label per offering slug.
    internal static IReadOnlyList<string> BoardLabels(IReadOnlyList<string> labels)
    {
        const string prefix = "offering::";
        var offerings = labels.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (offerings.Count <= 1)
        {
            return labels;
        }
        return [.. labels.Where(l => !l.StartsWith(prefix, StringComparison.Ordinal)), prefix + "multiple", .. offerings.Select(l => l[prefix.Length..])];
    }

    private static string BoardDescription(SowRequest r, string customer, string offerings)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"SOW request for **{customer}**: {offerings}.\n\n");
        sb.Append("## Business goals\n\n").Append(r.Goals).Append("\n\n");
        sb.Append("## Current environment\n\n");
        sb.Append("- VCS: ").Append(r.EnvironmentVcs ?? "—").Append('\n');
        sb.Append("- CI: ").Append(r.EnvironmentCi ?? "—").Append('\n');
        sb.Append("- Authentication: ").Append(r.EnvironmentAuthentication ?? "—").Append('\n');
        sb.Append("- Users: ").Append(r.EnvironmentUsers ?? "—").Append("\n\n");
        sb.Append("## Desired timeline\n\n").Append(r.Timeline).Append('\n');
        if (!string.IsNullOrWhiteSpace(r.UseCase))
        {
            sb.Append("\n## Use case (training only)\n\n").Append(r.UseCase).Append('\n');
        }
        return sb.ToString();
    }

    public async Task<SowRequestDto> GetAsync(Actor actor, Guid id, CancellationToken ct)
    {
        var r = await Visible(actor).FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("SOW request");
        return await ToDtoAsync(actor, r, ct);
    }

    public async Task<SowRequestDto?> GetForEngagementAsync(Actor actor, Guid engagementId, CancellationToken ct)
    {
        var r = await Visible(actor).FirstOrDefaultAsync(x => x.EngagementId == engagementId, ct);
        return r is null ? null : await ToDtoAsync(actor, r, ct);
    }

    public async Task<Paged<SowRequestDto>> ListAsync(Actor actor, SowRequestQuery query, PageRequest page, CancellationToken ct)
    {
        var q = Visible(actor);
        if (query.CustomerId is { } cid) q = q.Where(r => r.CustomerId == cid);
        var p = page.Normalised();
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(r => r.CreatedAt).ThenBy(r => r.Id).Skip(p.Skip).Take(p.PerPage).ToListAsync(ct);
        var dtos = new List<SowRequestDto>();
        foreach (var r in items) dtos.Add(await ToDtoAsync(actor, r, ct));
        return new Paged<SowRequestDto>(dtos, total, p.Page, p.PerPage);
    }

    private IQueryable<SowRequest> Visible(Actor actor)
    {
        IQueryable<SowRequest> q = db.SowRequests.AsNoTracking()
            .Include(r => r.Customer)
            .Include(r => r.Engagement).ThenInclude(e => e!.Offerings).ThenInclude(o => o.Offering);
        return q.VisibleTo(actor);
    }

    private async Task<(SowRequestCheck Check, Customer? Customer, List<Offering>? Offerings, EligibilityFacts? Facts)> EvaluateAsync(
        Actor actor, SowRequestInput input, CancellationToken ct)
    {
        var template = await GetTemplateAsync(ct);
        var errors = new ValidationErrors();
        Customer? customer = null;
        if (input.CustomerId is not { } cid)
        {
            errors.Add(SowField.Customer, Message(template, SowField.Customer));
        }
        else
        {
            customer = await db.Customers.AsNoTracking().Include(c => c.Tier).VisibleTo(actor).FirstOrDefaultAsync(c => c.Id == cid, ct);
            if (customer is null) errors.Add(SowField.Customer, "No such customer.");
        }
        var ids = (input.OfferingIds ?? []).Distinct().ToList();
        List<Offering>? offerings = null;
        if (ids.Count == 0)
        {
            errors.Add(SowField.Offerings, Message(template, SowField.Offerings));
        }
        else
        {
            offerings = await db.Offerings.AsNoTracking().Where(o => ids.Contains(o.Id) && o.IsActive).ToListAsync(ct);
            var missing = ids.Except(offerings.Select(o => o.Id)).ToList();
            if (missing.Count > 0)
            {
                errors.Add(SowField.Offerings, $"Not an active offering in the catalog: {string.Join(", ", missing)}.");
                offerings = null;
            }
            else
            {
                offerings = offerings.OrderBy(o => o.SortOrder).ThenBy(o => o.Name, StringComparer.Ordinal).ToList();
            }
        }

        EligibilityFacts? facts = offerings is null || customer is null
            ? null
            : new EligibilityFacts(customer.Name, customer.TierId, customer.Tier?.Name ?? customer.TierId, customer.Tier?.IsPaying ?? false,
                customer.UpgradingFromCe, offerings.Select(o => new OfferingFact(o.Id, o.Slug, o.Name, o.Category)).ToList(),
                !string.IsNullOrWhiteSpace(input.UseCase), false, false);
        var trainingOnly = facts?.TrainingOnly ?? (offerings is not null && offerings.Count > 0
            && offerings.All(o => EligibilityFacts.IsTrainingLike(o.Category)));

        var env = input.Environment;
        var envDescribed = !string.IsNullOrWhiteSpace(env?.Notes);
        var contacts = CleanContacts(input.Contacts);
        foreach (var field in template.Fields)
        {
            var required = field.Required == FieldRequirement.Always || (field.Required == FieldRequirement.TrainingOnly && trainingOnly);
            var present = field.Key switch
            {
                SowField.Customer or SowField.Offerings => true, // checked above
                SowField.Goals => !string.IsNullOrWhiteSpace(input.Goals),
                SowField.EnvironmentVcs => envDescribed || !string.IsNullOrWhiteSpace(env?.Vcs),
                SowField.EnvironmentCi => envDescribed || !string.IsNullOrWhiteSpace(env?.Ci),
                SowField.EnvironmentAuthentication => envDescribed || !string.IsNullOrWhiteSpace(env?.Authentication),
                SowField.EnvironmentUsers => envDescribed || !string.IsNullOrWhiteSpace(env?.Users),
                SowField.Timeline => !string.IsNullOrWhiteSpace(input.Timeline),
                SowField.Contacts => contacts.Count > 0,
                SowField.UseCase => !string.IsNullOrWhiteSpace(input.UseCase),
                _ => true,
            };
            if (required && !present)
            {
                errors.Add(field.Key, Message(template, field.Key));
                if (field.Key.StartsWith("environment.", StringComparison.Ordinal) && env is null)
                {
                    errors.Add("environment", "Describe the current environment: VCS and CI in use, authentication systems, number of users.");
                }
            }
        }
        foreach (var c in contacts)
        {
            if (c.Email is { } email && !MailAddress.TryCreate(email, out _))
            {
                errors.Add(SowField.Contacts, $"'{email}' is not an e-mail address.");
            }
        }
        CheckLength(errors, SowField.Goals, input.Goals, 8000);
        CheckLength(errors, SowField.Timeline, input.Timeline, 2000);
        CheckLength(errors, SowField.UseCase, input.UseCase, 8000);
        CheckLength(errors, SowField.EnvironmentVcs, env?.Vcs, 1000);
        CheckLength(errors, SowField.EnvironmentCi, env?.Ci, 1000);
        CheckLength(errors, SowField.EnvironmentAuthentication, env?.Authentication, 1000);
        CheckLength(errors, SowField.EnvironmentUsers, env?.Users, 200);
        CheckLength(errors, "environment", env?.Notes, 8000);
        CheckLength(errors, "title", input.Title, 300);
        errors.Require(contacts.Count <= 50, SowField.Contacts, "List at most 50 contacts.");

        var rules = facts is null ? [] : EligibilityPolicy.Evaluate(facts, EligibilityPoint.Request);
        var scoping = facts is null ? [] : EligibilityPolicy.RequiredScoping(facts);
        var labels = new List<string> { "type::sow" };
        if (offerings is not null) labels.AddRange(offerings.Select(o => $"offering::{o.Slug}"));
        if (customer is not null) labels.Add($"tier::{customer.TierId}");
        labels.Add($"stage::{EngagementStage.Requested}");
        var errorMap = errors.ToDictionary();
        var check = new SowRequestCheck(rules.Count == 0 && errorMap.Count == 0, rules, errorMap, scoping, labels, template.Version);
        return (check, customer, offerings, facts);
    }

    private static void CheckLength(ValidationErrors errors, string field, string? value, int max)
    {
        if (value is not null && value.Length > max) errors.Add(field, $"This is longer than {max} characters.");
    }

    private static string Message(SowTemplateDto template, string key)
    {
        var f = template.Fields.FirstOrDefault(x => x.Key == key);
        var label = f?.Label ?? key;
        return string.IsNullOrWhiteSpace(f?.Help) ? $"{label} is required." : $"{label} is required: {f.Help}";
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static List<SowContact> CleanContacts(IReadOnlyList<SowContact>? contacts) =>
        (contacts ?? []).Select(c => new SowContact(Clean(c.Name), Clean(c.Email), Clean(c.Role)))
            .Where(c => c.Name is not null || c.Email is not null).ToList();

    /// The use case is the account team's own reasoning ("churn risk"); customer contacts do not see it.
    private async Task<SowRequestDto> ToDtoAsync(Actor actor, SowRequest r, CancellationToken ct)
    {
        var tasks = await db.ScopingTasks.AsNoTracking().Where(t => t.EngagementId == r.EngagementId).ToListAsync(ct);
        var e = r.Engagement!;
        return new SowRequestDto(r.Id, r.EngagementId, r.CustomerId, r.Customer?.Name ?? "", r.Customer?.TierId ?? "", e.Stage,
            r.TemplateVersion,
            e.Offerings.Where(o => o.Offering is not null)
                .Select(o => new EngagementOfferingDto(o.OfferingId, o.Offering!.Slug, o.Offering.Name, o.Offering.Category))
                .OrderBy(o => o.Name, StringComparer.Ordinal).ToList(),
            r.Goals, new SowEnvironmentDto(r.EnvironmentVcs, r.EnvironmentCi, r.EnvironmentAuthentication, r.EnvironmentUsers, r.EnvironmentNotes),
            r.Timeline, JsonSerializer.Deserialize<List<SowContact>>(r.Contacts, Json) ?? [], actor.IsStaff ? r.UseCase : null, r.TrainingOnly, r.LabelList,
            tasks.OrderBy(t => t.CreatedAt).Select(ScopingService.ToDto).ToList(), r.CreatedAt, r.CreatedByName);
    }

    private static SowTemplateDto ToDto(SowRequestTemplate t) => new(t.Version,
        JsonSerializer.Deserialize<List<TemplateField>>(t.Fields, Json) ?? [], t.CreatedAt, t.CreatedByName, t.Note);
}
